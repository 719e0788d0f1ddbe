package io.passerelle.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.passerelle.kafka.ConsumerLoop;
import io.passerelle.kafka.PartitionFollower;
import io.passerelle.metrics.GatewayMetrics;

/**
 * The one Kafka read of a topic on this replica, shared by every local subscription to it: a {@link ConsumerLoop}
 * assigned to every partition, positioned at the end when it starts. Subscriptions join and leave through the
 * loop's commands, which run between polls, so that a subscription joins at a precise position in the stream.
 * Everything but {@link #joinAtCurrentPosition}, {@link #tryHandOver}, {@link #remove} and {@link #shutdown} runs
 * on the loop's thread.
 */
final class TopicReader implements ConsumerLoop.Body {

    private static final Logger LOG = Logger.getLogger(TopicReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration BACKPRESSURE_WAIT = Duration.ofMillis(20);

    private final String topic;
    private final Fanout owner;
    private final Duration linger;
    private final PartitionFollower partitions;
    private final ConsumerLoop loop;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final GatewayMetrics metrics;
    private long idleSinceNanos = System.nanoTime();
    private volatile boolean paused;

    TopicReader(String topic, Supplier<Consumer<byte[], byte[]>> consumer, Fanout owner, Duration linger,
            Duration partitionRefresh, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.topic = topic;
        this.owner = owner;
        this.linger = linger;
        this.partitions = new PartitionFollower(topic, partitionRefresh, Consumer::seekToEnd);
        this.loop = new ConsumerLoop("reader-" + topic, consumer, this);
    }

    String topic() {
        return topic;
    }

    void start() {
        loop.start();
    }

    /**
     * Joins the subscription at the reader's current position: every record appended from now on reaches it.
     * {@code onJoined} runs on the reader thread before the first such record is dispatched.
     */
    CompletableFuture<Void> joinAtCurrentPosition(Subscription subscription,
            java.util.function.Consumer<Map<Integer, Long>> onJoined) {
        return loop.execute(consumer -> {
            if (subscription.isClosed()) {
                return;
            }
            Map<Integer, Long> positions = new HashMap<>();
            for (TopicPartition partition : partitions.assigned()) {
                long position = consumer.position(partition);
                subscription.startAt(partition.partition(), position);
                positions.put(partition.partition(), position);
            }
            onJoined.accept(positions);
            subscriptions.add(subscription);
        });
    }

    /**
     * Hands over a subscription that has read history on its own. It joins only if the reader has not yet passed
     * the subscription's next offsets; otherwise the history read must go on (completes with false).
     */
    CompletableFuture<Boolean> tryHandOver(Subscription subscription) {
        return loop.call(consumer -> {
            if (subscription.isClosed()) {
                // Closed while its history was read: its removal may have run already, so it must not join now.
                return true;
            }
            for (TopicPartition partition : partitions.assigned()) {
                long next = subscription.nextOffset(partition.partition());
                if (next >= 0 && next < consumer.position(partition)) {
                    return false;
                }
            }
            subscriptions.add(subscription);
            return true;
        });
    }

    void remove(Subscription subscription) {
        loop.execute(consumer -> subscriptions.remove(subscription));
    }

    void shutdown() {
        loop.stop();
    }

    @Override
    public void prepare(Consumer<byte[], byte[]> consumer) {
        if (partitions.refreshIfDue(consumer)) {
            endSubscriptionsOfDeletedTopic();
        }
    }

    private void endSubscriptionsOfDeletedTopic() {
        if (subscriptions.isEmpty()) {
            return;
        }
        LOG.infof("Topic %s was deleted; ending its %d subscriptions", topic, subscriptions.size());
        FanoutException deleted = new FanoutException(FanoutException.Reason.CHANNEL_DELETED,
                "the channel was deleted");
        List<Subscription> ended = new ArrayList<>(subscriptions);
        subscriptions.clear();
        ended.forEach(subscription -> subscription.end(deleted));
    }

    @Override
    public void turn(Consumer<byte[], byte[]> consumer) {
        if (subscriptions.isEmpty()) {
            if (System.nanoTime() - idleSinceNanos > linger.toNanos() && owner.retireIfUnused(this)) {
                loop.stop();
                return;
            }
        } else {
            idleSinceNanos = System.nanoTime();
        }
        if (partitions.assigned().isEmpty()) {
            // The topic does not exist (yet, or any more): nothing to poll until a refresh finds partitions.
            loop.idle(ConsumerLoop.RETRY_PAUSE);
            return;
        }
        paused = everySubscriberBehind();
        if (paused) {
            loop.idle(BACKPRESSURE_WAIT);
            return;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (records.isEmpty()) {
            // A quiet poll may be a deleted topic: its fetches fail (and are logged) until the reader lets it go.
            // The consumer refreshes its metadata on those failures, so the cached partitions tell at once.
            if (partitions.refresh(consumer)) {
                endSubscriptionsOfDeletedTopic();
            }
            return;
        }
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

    @Override
    public boolean failed(RuntimeException failure) {
        LOG.warnf("Reader of topic %s failed (%s); retrying", topic, failure.toString());
        return true;
    }

    @Override
    public void closed() {
        owner.readerStopped(this);
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

    @Override
    public String toString() {
        return "TopicReader[" + topic + "]";
    }
}
