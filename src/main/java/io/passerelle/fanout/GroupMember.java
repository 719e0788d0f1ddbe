package io.passerelle.fanout;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.passerelle.protocol.ErrorCode;
import io.passerelle.protocol.FrameWriter;
import io.passerelle.protocol.ProtocolException;

/**
 * One socket's membership of a Kafka consumer group for one channel: a consumer of its own, in the group, whose
 * partitions are shared with the other members on any replica. Offsets are committed only when the client says
 * so; what a member received but did not commit goes to another member if it leaves.
 */
final class GroupMember implements Runnable {

    private static final Logger LOG = Logger.getLogger(GroupMember.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final Subscription subscription;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SubscribeCallbacks callbacks;
    private final Runnable onStopped;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean joined;

    GroupMember(Subscription subscription, KafkaConsumer<byte[], byte[]> consumer, SubscribeCallbacks callbacks,
            Runnable onStopped) {
        this.subscription = subscription;
        this.consumer = consumer;
        this.callbacks = callbacks;
        this.onStopped = onStopped;
        this.thread = new Thread(this, "passerelle-group-" + subscription.channel());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Leaves the group: the member's partitions go to the others, from the last committed offsets. */
    void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Commits {@code offset + 1} for the partition, if the group still assigns it to this member. */
    CompletableFuture<Void> commit(int partition, long offset, String requestId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(() -> {
            TopicPartition topicPartition = new TopicPartition(subscription.channel(), partition);
            if (!assigned.contains(topicPartition)) {
                done.completeExceptionally(new ProtocolException(ErrorCode.NOT_ASSIGNED, requestId,
                        "partition " + partition + " is not assigned to this socket"));
                return;
            }
            try {
                consumer.commitSync(Map.of(topicPartition, new OffsetAndMetadata(offset + 1)));
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        consumer.wakeup();
        return done;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(subscription.channel()), new Rebalance());
            while (running) {
                try {
                    Runnable command;
                    while ((command = commands.poll()) != null) {
                        command.run();
                    }
                    applyBackpressure();
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                        subscription.offerAlways(new EventFrame(record));
                    }
                    subscription.flush();
                } catch (WakeupException e) {
                    // a command or stop()
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Group membership of %s ended: %s", subscription.channel(), e.toString());
            callbacks.failed().accept(e, joined);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            onStopped.run();
        }
    }

    private void applyBackpressure() {
        if (subscription.isBackedUp()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
            if (!joined) {
                joined = true;
                callbacks.subscribed().accept(Map.of());
            }
            subscription.sendToSink(FrameWriter.assigned(subscription.channel(),
                    assigned.stream().map(TopicPartition::partition).toList()));
        }

        @Override
        public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
