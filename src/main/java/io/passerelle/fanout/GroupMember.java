package io.passerelle.fanout;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.passerelle.kafka.ConsumerLoop;
import io.passerelle.protocol.ServerFrame;

/**
 * One socket's membership of a Kafka consumer group for one channel: a consumer of its own, in the group, on a
 * {@link ConsumerLoop} of its own, whose partitions are shared with the other members on any replica. Offsets are
 * committed only when the client says so; what a member received but did not commit goes to another member if it
 * leaves.
 */
final class GroupMember implements ConsumerLoop.Body {

    private static final Logger LOG = Logger.getLogger(GroupMember.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final Subscription subscription;
    private final SubscribeCallbacks callbacks;
    private final Runnable onStopped;
    private final ConsumerLoop loop;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private boolean subscribed;
    private boolean joined;

    GroupMember(Subscription subscription, Supplier<Consumer<byte[], byte[]>> consumer, SubscribeCallbacks callbacks,
            Runnable onStopped) {
        this.subscription = subscription;
        this.callbacks = callbacks;
        this.onStopped = onStopped;
        this.loop = new ConsumerLoop("group-" + subscription.channel(), consumer, this);
    }

    void start() {
        loop.start();
    }

    /** Leaves the group: the member's partitions go to the others, from the last committed offsets. */
    void stop() {
        loop.stop();
    }

    /** Commits {@code offset + 1} for the partition, if the group still assigns it to this member. */
    CompletableFuture<Void> commit(int partition, long offset) {
        return loop.execute(consumer -> {
            TopicPartition topicPartition = new TopicPartition(subscription.channel(), partition);
            if (!assigned.contains(topicPartition)) {
                throw new FanoutException(FanoutException.Reason.NOT_ASSIGNED,
                        "partition " + partition + " is not assigned to this socket");
            }
            consumer.commitSync(Map.of(topicPartition, new OffsetAndMetadata(offset + 1)));
        });
    }

    @Override
    public void turn(Consumer<byte[], byte[]> consumer) {
        if (!subscribed) {
            consumer.subscribe(List.of(subscription.channel()), new Rebalance());
            subscribed = true;
        }
        if (subscription.isBackedUp()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            subscription.offerAlways(new EventFrame(record));
        }
        subscription.flush();
    }

    @Override
    public boolean failed(RuntimeException failure) {
        LOG.warnf("Group membership of %s ended: %s", subscription.channel(), failure.toString());
        callbacks.failed().accept(failure, joined);
        return false;
    }

    @Override
    public void closed() {
        onStopped.run();
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
            if (!joined) {
                joined = true;
                callbacks.subscribed().accept(Map.of());
            }
            subscription.sendToSink(new ServerFrame.Assigned(subscription.id(), subscription.channel(),
                    assigned.stream().map(TopicPartition::partition).toList()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
