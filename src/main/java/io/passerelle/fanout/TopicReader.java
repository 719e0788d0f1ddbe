package io.passerelle.fanout;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.passerelle.kafka.PartitionFollower;

/**
 * The one read of a topic on this replica, shared by every local subscription to it, on one {@link ReaderLoop}
 * (which serves other topics too): every partition, positioned at the end when it starts. Subscriptions join and
 * leave through the loop's commands, which run between polls, so that a subscription joins at a precise position in
 * the stream. Everything but {@link #joinAtCurrentPosition}, {@link #tryHandOver} and {@link #remove} runs on the
 * loop's thread.
 */
final class TopicReader {

    private static final Logger LOG = Logger.getLogger(TopicReader.class);
    /** How often a topic without partitions (not created yet, or deleted) is looked for. */
    private static final long ABSENT_LOOK_NANOS = Duration.ofSeconds(1).toNanos();

    private final String topic;
    private final RecordConverter converter;
    private final ReaderLoop loop;
    private final PartitionFollower partitions;
    private final SubscriptionIndex subscriptions = new SubscriptionIndex();
    private long idleSinceNanos = System.nanoTime();
    private long lastAbsentLookNanos;
    /** Written on the loop, read by {@link Fanout#isPaused}. */
    private volatile boolean paused;

    TopicReader(String topic, ReaderLoop loop, Duration partitionRefresh, RecordConverter converter) {
        this.converter = converter;
        this.topic = topic;
        this.loop = loop;
        this.partitions = new PartitionFollower(topic, partitionRefresh, Consumer::seekToEnd,
                (consumer, assigned) -> loop.assign(consumer, topic, assigned));
    }

    String topic() {
        return topic;
    }

    RecordConverter converter() {
        return converter;
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
            for (TopicPartition partition : partitionsNow(consumer)) {
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
            Set<TopicPartition> assigned = partitionsNow(consumer);
            if (assigned.isEmpty()) {
                // Deleted while its history was read: joining would leave it waiting for records that never come.
                throw new FanoutException(FanoutException.Reason.CHANNEL_DELETED, "the channel was deleted");
            }
            for (TopicPartition partition : assigned) {
                long next = subscription.nextOffset(partition.partition());
                if (next >= 0 && next < consumer.position(partition)) {
                    return false;
                }
            }
            subscriptions.add(subscription);
            return true;
        });
    }

    /**
     * The topic's partitions, looked up now if the reader has none yet (it joined its loop a moment ago), so that a
     * join or a hand-over is measured against every partition.
     */
    private Set<TopicPartition> partitionsNow(Consumer<byte[], byte[]> consumer) {
        if (partitions.assigned().isEmpty()) {
            refresh(consumer);
        }
        return partitions.assigned();
    }

    void remove(Subscription subscription) {
        loop.execute(consumer -> subscriptions.remove(subscription));
    }

    /** On the loop, before its commands: follows the topic's partitions. */
    void prepare(Consumer<byte[], byte[]> consumer) {
        if (partitions.assigned().isEmpty()) {
            if (System.nanoTime() - lastAbsentLookNanos < ABSENT_LOOK_NANOS) {
                return;
            }
            lastAbsentLookNanos = System.nanoTime();
        }
        if (partitions.refreshIfDue(consumer)) {
            endSubscriptionsOfDeletedTopic();
        }
    }

    /** On a quiet poll: a deleted topic's fetches fail quietly, and the consumer's metadata tells at once. */
    void refresh(Consumer<byte[], byte[]> consumer) {
        if (partitions.refresh(consumer)) {
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
        List<Subscription> ended = subscriptions.clear();
        ended.forEach(subscription -> subscription.end(deleted));
    }

    /** True when the topic had no subscription for longer than {@code linger}. */
    boolean idleFor(Duration linger) {
        if (!subscriptions.isEmpty()) {
            idleSinceNanos = System.nanoTime();
            return false;
        }
        return System.nanoTime() - idleSinceNanos > linger.toNanos();
    }

    Set<TopicPartition> assigned() {
        return partitions.assigned();
    }

    /**
     * True while every subscriber is far behind: the topic's partitions are then paused, so that records wait in
     * Kafka rather than in the gateway's memory, and fetched again as soon as one of them catches up.
     */
    boolean everySubscriberBehind() {
        if (subscriptions.isEmpty()) {
            return false;
        }
        for (Subscription subscription : subscriptions.all()) {
            if (!subscription.isBackedUp()) {
                return false;
            }
        }
        return true;
    }

    boolean isPaused() {
        return paused;
    }

    void setPaused(boolean paused) {
        this.paused = paused;
    }

    /**
     * Offers the record to the subscriptions it may match; those that queued its frame are added to
     * {@code received}, to be flushed once after the poll. Returns whether any did.
     */
    boolean dispatch(ConsumerRecord<byte[], byte[]> record, List<Subscription> received) {
        EventFrame frame = new EventFrame(record, converter);
        subscriptions.forEachCandidate(frame.record(), subscription -> {
            if (subscription.offer(frame) && subscription.markToFlush()) {
                received.add(subscription);
            }
        });
        frame.offered();
        return frame.encoded();
    }

    @Override
    public String toString() {
        return "TopicReader[" + topic + "]";
    }
}
