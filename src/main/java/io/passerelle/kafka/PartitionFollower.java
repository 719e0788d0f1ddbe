package io.passerelle.kafka;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps a consumer assigned to every partition of one topic (alone, or beside other topics' partitions), without a consumer group: it waits for the topic to
 * exist, positions the first partitions as its owner says, and reads partitions added later from their start, so
 * that nothing written to them is missed. Used on its consumer's loop thread only.
 */
public final class PartitionFollower {

    private final String topic;
    private final long refreshNanos;
    private final BiConsumer<Consumer<byte[], byte[]>, Set<TopicPartition>> positionFirst;
    private final BiConsumer<Consumer<byte[], byte[]>, Set<TopicPartition>> assign;
    private Set<TopicPartition> assigned = Set.of();
    private long lastRefreshNanos;
    private final TopicAbsence absence = new TopicAbsence();

    /**
     * @param refresh how often to look for added partitions
     * @param positionFirst positions the partitions of the first assignment (at the end, at a time…)
     */
    public PartitionFollower(String topic, Duration refresh,
            BiConsumer<Consumer<byte[], byte[]>, Set<TopicPartition>> positionFirst) {
        this(topic, refresh, positionFirst, Consumer::assign);
    }

    /**
     * For a consumer that reads several topics: {@code assign} is given this topic's partitions and assigns them
     * together with the other topics' partitions.
     */
    public PartitionFollower(String topic, Duration refresh,
            BiConsumer<Consumer<byte[], byte[]>, Set<TopicPartition>> positionFirst,
            BiConsumer<Consumer<byte[], byte[]>, Set<TopicPartition>> assign) {
        this.topic = topic;
        this.refreshNanos = refresh.toNanos();
        this.positionFirst = positionFirst;
        this.assign = assign;
    }

    /**
     * Looks at the topic's partitions when none is assigned yet or the refresh interval passed. Returns true when
     * the topic vanished: it had partitions and has none now, on two looks in a row (it was deleted); it is then
     * followed as one that does not exist yet.
     */
    public boolean refreshIfDue(Consumer<byte[], byte[]> consumer) {
        if (!assigned.isEmpty() && System.nanoTime() - lastRefreshNanos <= refreshNanos) {
            return false;
        }
        return refresh(consumer);
    }

    /**
     * Looks at the topic's partitions now, in the consumer's metadata (cached: no request while the topic is known);
     * returns true when the topic vanished.
     */
    public boolean refresh(Consumer<byte[], byte[]> consumer) {
        lastRefreshNanos = System.nanoTime();
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        if (!assigned.isEmpty() && absence.vanished(partitions)) {
            assigned = Set.of();
            assign.accept(consumer, assigned);
            return true;
        }
        Set<TopicPartition> current = new HashSet<>();
        for (PartitionInfo info : partitions) {
            current.add(new TopicPartition(topic, info.partition()));
        }
        if (current.isEmpty() || current.equals(assigned)) {
            return false;
        }
        Set<TopicPartition> added = new HashSet<>(current);
        added.removeAll(assigned);
        boolean first = assigned.isEmpty();
        assign.accept(consumer, current);
        if (first) {
            positionFirst.accept(consumer, added);
        } else {
            consumer.seekToBeginning(added);
        }
        assigned = Set.copyOf(current);
        return false;
    }

    /** The partitions assigned now; empty until the topic exists. */
    public Set<TopicPartition> assigned() {
        return assigned;
    }
}
