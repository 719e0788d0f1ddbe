package io.passerelle.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.passerelle.metrics.GatewayMetrics;

/**
 * The one Kafka read of a topic on this replica, shared by every local subscription to it. It owns its consumer
 * and its thread; other threads talk to it only through commands, which it runs between polls, so that a
 * subscription joins at a precise position in the stream.
 */
final class TopicReader implements Runnable {

    private static final Logger LOG = Logger.getLogger(TopicReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration BACKPRESSURE_WAIT = Duration.ofMillis(20);

    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Fanout owner;
    private final Duration linger;
    private final Duration partitionRefresh;
    private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private Set<TopicPartition> assigned = Set.of();
    private long lastRefreshNanos;
    private long idleSinceNanos = System.nanoTime();
    private volatile boolean paused;

    private final GatewayMetrics metrics;

    TopicReader(String topic, Consumer<byte[], byte[]> consumer, Fanout owner, Duration linger,
            Duration partitionRefresh, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.topic = topic;
        this.consumer = consumer;
        this.owner = owner;
        this.linger = linger;
        this.partitionRefresh = partitionRefresh;
        this.thread = new Thread(this, "passerelle-reader-" + topic);
        this.thread.setDaemon(true);
    }

    String topic() {
        return topic;
    }

    void start() {
        thread.start();
    }

    /**
     * Joins the subscription at the reader's current position: every record appended from now on reaches it.
     * {@code onJoined} runs on the reader thread before the first such record is dispatched.
     */
    CompletableFuture<Void> joinAtCurrentPosition(Subscription subscription,
            java.util.function.Consumer<Map<Integer, Long>> onJoined) {
        CompletableFuture<Void> joined = new CompletableFuture<>();
        execute(() -> {
            if (subscription.isClosed()) {
                joined.complete(null);
                return;
            }
            Map<Integer, Long> positions = new HashMap<>();
            for (TopicPartition partition : assigned) {
                long position = position(partition);
                subscription.startAt(partition.partition(), position);
                positions.put(partition.partition(), position);
            }
            onJoined.accept(positions);
            subscriptions.add(subscription);
            joined.complete(null);
        }, joined);
        return joined;
    }

    /**
     * Hands over a subscription that has read history on its own. It joins only if the reader has not yet passed
     * the subscription's next offsets; otherwise the history read must go on (completes with false).
     */
    CompletableFuture<Boolean> tryHandOver(Subscription subscription) {
        CompletableFuture<Boolean> joined = new CompletableFuture<>();
        execute(() -> {
            if (subscription.isClosed()) {
                // Closed while its history was read: its removal may have run already, so it must not join now.
                joined.complete(true);
                return;
            }
            for (TopicPartition partition : assigned) {
                long next = subscription.nextOffset(partition.partition());
                if (next >= 0 && next < position(partition)) {
                    joined.complete(false);
                    return;
                }
            }
            subscriptions.add(subscription);
            joined.complete(true);
        }, joined);
        return joined;
    }

    void remove(Subscription subscription) {
        execute(() -> subscriptions.remove(subscription), new CompletableFuture<>());
    }

    void shutdown() {
        running = false;
        consumer.wakeup();
    }

    private record Command(Runnable action, CompletableFuture<?> result) {
        void run() {
            try {
                action.run();
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    private void execute(Runnable action, CompletableFuture<?> result) {
        commands.add(new Command(action, result));
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                try {
                    step();
                } catch (WakeupException e) {
                    // A command arrived; it runs at the top of the next step.
                } catch (RuntimeException e) {
                    LOG.warnf("Reader of topic %s failed (%s); retrying", topic, e.toString());
                    sleepQuietly(Duration.ofSeconds(1));
                }
            }
        } finally {
            failPendingCommands();
            consumer.close(Duration.ofSeconds(5));
            owner.readerStopped(this);
        }
    }

    private void step() {
        if (assigned.isEmpty() || System.nanoTime() - lastRefreshNanos > partitionRefresh.toNanos()) {
            refreshPartitions();
        }
        Command command;
        while ((command = commands.poll()) != null) {
            command.run();
        }
        if (subscriptions.isEmpty()) {
            if (System.nanoTime() - idleSinceNanos > linger.toNanos() && owner.retireIfUnused(this)) {
                running = false;
                return;
            }
        } else {
            idleSinceNanos = System.nanoTime();
        }
        paused = everySubscriberBehind();
        if (paused) {
            LockSupport.parkNanos(BACKPRESSURE_WAIT.toNanos());
            return;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            EventFrame frame = new EventFrame(record);
            for (int i = 0; i < subscriptions.size(); i++) {
                subscriptions.get(i).offer(frame);
            }
            if (!subscriptions.isEmpty()) {
                metrics.delivered(record.timestamp());
            }
        }
        if (!records.isEmpty()) {
            for (int i = 0; i < subscriptions.size(); i++) {
                subscriptions.get(i).flush();
            }
        }
    }

    /**
     * True while every subscriber is far behind: the reader then stops fetching, so that records wait in Kafka
     * rather than in the gateway's memory, and fetches again as soon as one of them catches up.
     */
    private boolean everySubscriberBehind() {
        boolean allBehind = !subscriptions.isEmpty();
        for (int i = 0; allBehind && i < subscriptions.size(); i++) {
            allBehind = subscriptions.get(i).isBackedUp();
        }
        return allBehind;
    }

    boolean isPaused() {
        return paused;
    }

    /** Assigns every partition of the topic; partitions added since the last look are read from their start. */
    private void refreshPartitions() {
        lastRefreshNanos = System.nanoTime();
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        Set<TopicPartition> current = new HashSet<>();
        for (PartitionInfo info : infos) {
            current.add(new TopicPartition(topic, info.partition()));
        }
        if (current.equals(assigned) || current.isEmpty()) {
            return;
        }
        Set<TopicPartition> added = new HashSet<>(current);
        added.removeAll(assigned);
        boolean first = assigned.isEmpty();
        consumer.assign(current);
        if (first) {
            consumer.seekToEnd(added);
        } else {
            consumer.seekToBeginning(added);
        }
        assigned = Set.copyOf(current);
    }

    private long position(TopicPartition partition) {
        while (true) {
            try {
                return consumer.position(partition);
            } catch (WakeupException e) {
                // Another command woke the consumer; the position is still needed.
            }
        }
    }

    private void failPendingCommands() {
        Command command;
        while ((command = commands.poll()) != null) {
            command.result().completeExceptionally(new IllegalStateException("the reader of " + topic + " stopped"));
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TopicReader[" + topic + "]";
    }
}
