package io.passerelle.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.passerelle.kafka.ConsumerLoop;
import io.passerelle.kafka.TopicAbsence;
import io.passerelle.protocol.ServerFrame;

/**
 * This replica's one member of a Kafka consumer group for one channel, shared by every local socket that
 * subscribed in that group: one consumer on one {@link ConsumerLoop}, whatever the number of local sockets. Kafka
 * shares the channel's partitions among the replicas; this member shares its partitions among its local
 * subscriptions, sticky (a partition moves only when the shares are uneven), and tells each its share with
 * {@code assigned}. A partition that moves locally restarts at the group's last commit, as it would between Kafka
 * members: what a socket received but did not commit goes to the socket that takes its partition (at least once).
 * Offsets are committed only when a client says so. Everything but {@link #join}, {@link #leave} and
 * {@link #commit} runs on the loop's thread.
 */
final class GroupMember implements ConsumerLoop.Body {

    private static final Logger LOG = Logger.getLogger(GroupMember.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final long TOPIC_LOOK_NANOS = Duration.ofSeconds(1).toNanos();

    private final String groupId;
    private final String channel;
    private final boolean fromEarliest;
    private final Fanout owner;
    private final ConsumerLoop loop;
    /** Local subscriptions in join order, with their callbacks until {@code subscribed} was sent. */
    private final Map<Subscription, SubscribeCallbacks> members = new LinkedHashMap<>();
    private final Set<Subscription> announced = new HashSet<>();
    /** What Kafka gives this replica, and which local subscription holds each partition. */
    private final Set<TopicPartition> assigned = new TreeSet<>((a, b) -> Integer.compare(a.partition(), b.partition()));
    private final Map<TopicPartition, Subscription> holders = new HashMap<>();
    private final Map<Subscription, Set<Integer>> lastTold = new HashMap<>();
    private final List<Subscription> received = new ArrayList<>();
    private boolean subscribed;
    private boolean everAssigned;
    private long lastTopicLookNanos;
    private final TopicAbsence absence = new TopicAbsence();

    GroupMember(String groupId, String channel, boolean fromEarliest, Supplier<Consumer<byte[], byte[]>> consumer,
            Fanout owner) {
        this.groupId = groupId;
        this.channel = channel;
        this.fromEarliest = fromEarliest;
        this.owner = owner;
        this.loop = new ConsumerLoop("group-" + groupId, consumer, this);
    }

    String groupId() {
        return groupId;
    }

    String channel() {
        return channel;
    }

    void start() {
        loop.start();
    }

    /** Leaves the Kafka group: this replica's partitions go to the other replicas, from the last commits. */
    void stop() {
        loop.stop();
    }

    /** Adds a local subscription; {@code subscribed} runs once it has its share (after the first assignment). */
    CompletableFuture<Void> join(Subscription subscription, SubscribeCallbacks callbacks) {
        return loop.execute(consumer -> {
            if (subscription.isClosed()) {
                return;
            }
            members.put(subscription, callbacks);
            if (everAssigned) {
                share(consumer);
            }
        });
    }

    /** Removes a local subscription: its partitions go to the others, from the last commits. */
    CompletableFuture<Void> leave(Subscription subscription) {
        return loop.execute(consumer -> {
            if (members.remove(subscription) != null) {
                announced.remove(subscription);
                lastTold.remove(subscription);
                share(consumer);
            }
        });
    }

    /** Commits {@code offset + 1} for the partition, if it is the subscription's share. */
    CompletableFuture<Void> commit(Subscription subscription, int partition, long offset) {
        return loop.execute(consumer -> {
            TopicPartition topicPartition = new TopicPartition(channel, partition);
            if (holders.get(topicPartition) != subscription) {
                throw new FanoutException(FanoutException.Reason.NOT_ASSIGNED,
                        "partition " + partition + " is not assigned to this socket");
            }
            consumer.commitSync(Map.of(topicPartition, new OffsetAndMetadata(offset + 1)));
        });
    }

    @Override
    public void turn(Consumer<byte[], byte[]> consumer) {
        if (!subscribed) {
            consumer.subscribe(List.of(channel), new Rebalance(consumer));
            subscribed = true;
        }
        applyBackpressure(consumer);
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (records.isEmpty() && topicDeleted(consumer)) {
            LOG.infof("Topic %s was deleted; ending the group membership %s", channel, groupId);
            endEveryMember(new FanoutException(FanoutException.Reason.CHANNEL_DELETED, "the channel was deleted"));
            loop.stop();
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Subscription holder = holders.get(new TopicPartition(record.topic(), record.partition()));
            if (holder != null) {
                EventFrame frame = new EventFrame(record, owner.converter());
                holder.offerAlways(frame);
                frame.offered();
                if (holder.markToFlush()) {
                    received.add(holder);
                }
            }
        }
        for (int i = 0; i < received.size(); i++) {
            received.get(i).flush();
        }
        received.clear();
    }

    /** The partitions of a subscription that is far behind wait in Kafka, the others' go on. */
    private void applyBackpressure(Consumer<byte[], byte[]> consumer) {
        Set<TopicPartition> pause = new HashSet<>();
        Set<TopicPartition> resume = new HashSet<>();
        for (Map.Entry<TopicPartition, Subscription> held : holders.entrySet()) {
            (held.getValue().isBackedUp() ? pause : resume).add(held.getKey());
        }
        Set<TopicPartition> paused = consumer.paused();
        resume.retainAll(paused);
        pause.removeAll(paused);
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /**
     * Shares this replica's partitions among its subscriptions, moving as few as it can: a holder that left gives
     * its partitions back, shares above their quota give the excess, and free partitions go to the smallest
     * shares. A partition that changes hands restarts at the group's last commit.
     */
    private void share(Consumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Subscription> before = new HashMap<>(holders);
        holders.keySet().retainAll(assigned);
        holders.values().removeIf(holder -> !members.containsKey(holder));
        List<Subscription> live = new ArrayList<>(members.keySet());
        Map<Subscription, List<TopicPartition>> shares = new LinkedHashMap<>();
        live.forEach(member -> shares.put(member, new ArrayList<>()));
        holders.forEach((partition, holder) -> shares.get(holder).add(partition));
        List<TopicPartition> free = new ArrayList<>(assigned);
        free.removeAll(holders.keySet());
        if (!live.isEmpty()) {
            int quota = (assigned.size() + live.size() - 1) / live.size();
            for (List<TopicPartition> share : shares.values()) {
                while (share.size() > quota) {
                    free.add(share.remove(share.size() - 1));
                }
            }
            for (TopicPartition partition : free) {
                Subscription smallest = live.get(0);
                for (Subscription member : live) {
                    if (shares.get(member).size() < shares.get(smallest).size()) {
                        smallest = member;
                    }
                }
                shares.get(smallest).add(partition);
            }
        }
        holders.clear();
        shares.forEach((member, share) -> share.forEach(partition -> holders.put(partition, member)));
        // A partition held before by another (or by one that left) may have records it did not commit.
        Set<TopicPartition> moved = new HashSet<>();
        for (TopicPartition partition : assigned) {
            Subscription previous = before.get(partition);
            if (previous != null && previous != holders.get(partition)) {
                moved.add(partition);
            }
        }
        restartAtLastCommit(consumer, moved);
        tellShares(shares);
    }

    private void restartAtLastCommit(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        List<TopicPartition> uncommitted = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset.offset());
            } else {
                uncommitted.add(partition);
            }
        }
        if (!uncommitted.isEmpty()) {
            // No commit yet: where the group starts, as Kafka would place a new member.
            if (fromEarliest) {
                consumer.seekToBeginning(uncommitted);
            } else {
                consumer.seekToEnd(uncommitted);
            }
        }
    }

    private void tellShares(Map<Subscription, List<TopicPartition>> shares) {
        shares.forEach((member, share) -> {
            Set<Integer> partitions = new TreeSet<>();
            share.forEach(partition -> partitions.add(partition.partition()));
            SubscribeCallbacks callbacks = members.get(member);
            if (announced.add(member)) {
                callbacks.subscribed().accept(Map.of());
            }
            if (!partitions.equals(lastTold.get(member))) {
                lastTold.put(member, partitions);
                member.sendToSink(new ServerFrame.Assigned(member.id(), channel, List.copyOf(partitions)));
            }
        });
    }

    /**
     * On a quiet poll, at most once a second: true when the channel had partitions and has none now, on two looks
     * in a row (a group whose topic is deleted only goes quiet: Kafka revokes nothing it can tell).
     */
    private boolean topicDeleted(Consumer<byte[], byte[]> consumer) {
        if (!everAssigned || System.nanoTime() - lastTopicLookNanos < TOPIC_LOOK_NANOS) {
            return false;
        }
        lastTopicLookNanos = System.nanoTime();
        return absence.vanished(consumer.partitionsFor(channel));
    }

    /** Tells every local subscription that it ended, and why. */
    private void endEveryMember(RuntimeException reason) {
        new ArrayList<>(members.entrySet())
                .forEach(member -> member.getValue().failed().accept(reason, announced.contains(member.getKey())));
    }

    @Override
    public boolean failed(RuntimeException failure) {
        LOG.warnf("Group membership %s of %s ended: %s", groupId, channel, failure.toString());
        endEveryMember(failure);
        return false;
    }

    @Override
    public void closed() {
        owner.groupMemberStopped(this);
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        private final Consumer<byte[], byte[]> consumer;

        Rebalance(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // The shares are told once the new assignment arrives, not emptied in between.
            assigned.removeAll(partitions);
            holders.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Partitions new to this replica start where Kafka places them (the last commit): no seek.
            assigned.addAll(partitions);
            everAssigned = true;
            share(consumer);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
