package io.passerelle.fanout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.KafkaConsumer;

import io.passerelle.kafka.KafkaClientConfigs;
import io.passerelle.kafka.KafkaGatewayConfig;
import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.protocol.ChannelFilter;
import io.passerelle.protocol.FrameSink;
import io.passerelle.protocol.StartPosition;
import io.passerelle.schema.RecordFormats;
import io.passerelle.tracing.Tracing;

/**
 * Subscriptions of this replica's sockets to Kafka topics. Every topic with local subscribers has exactly one
 * {@link TopicReader}, placed on the least loaded of a fixed set of {@link ReaderLoop}s
 * ({@code passerelle.kafka.reader-threads}): a topic costs a share of a thread, not a thread. History is read aside by
 * a {@link CatchUpRead} and then joins that reader. Kafka consumers are built on the threads that use them, never on
 * the caller's (an event loop) nor under this monitor.
 */
@ApplicationScoped
public class Fanout {

    private static final class ReaderSlot {
        final TopicReader reader;
        final ReaderLoop loop;
        int members;

        ReaderSlot(TopicReader reader, ReaderLoop loop) {
            this.reader = reader;
            this.loop = loop;
        }
    }

    private final KafkaClientConfigs configs;
    private final RecordConverter converter;
    private final KafkaGatewayConfig config;
    private final ThreadPoolExecutor catchUps;
    private final Map<String, ReaderSlot> readers = new HashMap<>();
    private final ReaderLoop[] loops;
    /** This replica's group members, by Kafka group id and channel. */
    private final Map<String, GroupSlot> groups = new HashMap<>();
    private int groupMembers;
    private boolean closing;

    private final GatewayMetrics metrics;

    public Fanout(KafkaClientConfigs configs, KafkaGatewayConfig config, GatewayMetrics metrics,
            RecordFormats formats, Tracing tracing) {
        this.converter = new RecordConverter(formats, tracing);
        this.configs = configs;
        this.config = config;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.catchUps = new ThreadPoolExecutor(config.maxConcurrentCatchUps(), config.maxConcurrentCatchUps(),
                60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "passerelle-catch-up-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        catchUps.allowCoreThreadTimeOut(true);
        this.loops = new ReaderLoop[config.readerThreads()];
    }

    /**
     * A subscription not yet reading, named by the id of its {@code subscribe}: the caller records it, then
     * {@link #start}s it.
     */
    public Subscription newSubscription(String id, String channel, ChannelFilter filter, String group,
            FrameSink sink) {
        return new Subscription(id, channel, filter, group, sink);
    }

    /**
     * Starts reading for a subscription. The callbacks run on the thread that will feed it, so that
     * {@code subscribed} reaches the sink before any event. A subscription ended before it started stays silent.
     */
    public void start(Subscription subscription, StartPosition from, SubscribeCallbacks callbacks) {
        String channel = subscription.channel();
        TopicReader reader;
        synchronized (this) {
            if (subscription.isClosed()) {
                return;
            }
            reader = acquire(channel);
            subscription.markHoldsReader();
        }
        SubscribeCallbacks releasing = new SubscribeCallbacks(callbacks.subscribed(), (failure, started) -> {
            release(subscription);
            callbacks.failed().accept(failure, started);
        });
        subscription.endWith(releasing.failed());
        if (from instanceof StartPosition.Latest) {
            reader.joinAtCurrentPosition(subscription, callbacks.subscribed()).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    releasing.failed().accept(failure, false);
                }
            });
        } else {
            catchUps.execute(new CatchUpRead(subscription, from,
                    () -> new KafkaConsumer<>(configs.reader("catch-up-" + channel)), reader, releasing,
                    config.subscribeTimeout()));
        }
    }

    /**
     * Makes the subscription a member of its consumer group for its channel, through this replica's one Kafka
     * member of that group ({@link GroupMember}), started with the first local member. {@code subscribed} runs
     * once the subscription has its share of the partitions.
     */
    public void startInGroup(Subscription subscription, StartPosition from, SubscribeCallbacks callbacks) {
        GroupMember member;
        synchronized (this) {
            if (subscription.isClosed()) {
                return;
            }
            if (groupMembers >= config.maxGroupMembers()) {
                callbacks.failed().accept(new FanoutException(FanoutException.Reason.GROUP_LIMIT,
                        "this gateway holds its maximum of " + config.maxGroupMembers() + " group subscriptions"),
                        false);
                return;
            }
            groupMembers++;
            String groupId = groupId(subscription.groupName(), subscription.filter());
            GroupSlot slot = groups.get(groupId + "/" + subscription.channel());
            if (slot == null) {
                boolean earliest = from instanceof StartPosition.Earliest;
                GroupMember created = new GroupMember(groupId, subscription.channel(), earliest,
                        () -> new KafkaConsumer<>(configs.groupMember(groupId, earliest ? "earliest" : "latest")),
                        this);
                slot = new GroupSlot(created);
                groups.put(groupId + "/" + subscription.channel(), slot);
                created.start();
            }
            slot.members++;
            member = slot.member;
            subscription.attachGroup(member);
        }
        SubscribeCallbacks counted = new SubscribeCallbacks(callbacks.subscribed(), (failure, started) -> {
            leaveGroup(subscription);
            callbacks.failed().accept(failure, started);
        });
        member.join(subscription, counted).whenComplete((ignored, failure) -> {
            if (failure != null) {
                counted.failed().accept(failure, false);
            }
        });
    }

    private static final class GroupSlot {
        final GroupMember member;
        int members;

        GroupSlot(GroupMember member) {
            this.member = member;
        }
    }

    /** The subscription leaves its group; the last local one stops this replica's member. */
    private void leaveGroup(Subscription subscription) {
        GroupMember member;
        boolean last;
        synchronized (this) {
            member = subscription.detachGroup();
            if (member == null) {
                return;
            }
            groupMembers--;
            GroupSlot slot = groups.get(member.groupId() + "/" + member.channel());
            last = slot != null && slot.member == member && --slot.members == 0;
            if (last) {
                groups.remove(member.groupId() + "/" + member.channel());
            }
        }
        if (last) {
            member.stop();
        } else {
            member.leave(subscription);
        }
    }

    /**
     * The Kafka group of a group subscription: {@code <prefix><group>}, and for a filtered subscription a suffix
     * that names the filter, so that members whose filters differ never share partitions (each would drop the
     * records the other one is for).
     */
    String groupId(String group, ChannelFilter filter) {
        String id = config.groupIdPrefix() + group;
        if (filter.isAll()) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(filter.canonical().getBytes(StandardCharsets.UTF_8));
            return id + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Commits for a group subscription; completes exceptionally when the partition is not the socket's. */
    public CompletableFuture<Void> commit(Subscription subscription, int partition, long offset) {
        GroupMember member = subscription.group();
        if (member == null) {
            return CompletableFuture.failedFuture(new FanoutException(FanoutException.Reason.NOT_IN_A_GROUP,
                    "commit is for group subscriptions; subscribe with a 'group'"));
        }
        return member.commit(subscription, partition, offset);
    }

    /** A group member's loop ended (its last subscription left, or it failed): it is forgotten. */
    synchronized void groupMemberStopped(GroupMember member) {
        String key = member.groupId() + "/" + member.channel();
        GroupSlot slot = groups.get(key);
        if (slot != null && slot.member == member) {
            groups.remove(key);
        }
    }

    /** Kafka group members this replica runs now for the channel: one per group, whatever the local sockets. */
    public synchronized long groupMembersRunning(String channel) {
        return groups.values().stream().filter(slot -> slot.member.channel().equals(channel)).count();
    }

    /** Ends a subscription: once this returns, its sink receives nothing more. */
    public void unsubscribe(Subscription subscription) {
        if (subscription.isClosed()) {
            return;
        }
        subscription.close();
        if (subscription.group() != null) {
            leaveGroup(subscription);
            return;
        }
        TopicReader reader;
        synchronized (this) {
            ReaderSlot slot = readers.get(subscription.channel());
            reader = slot == null ? null : slot.reader;
        }
        if (reader != null) {
            reader.remove(subscription);
        }
        release(subscription);
    }

    /** True while the topic's reader is paused because every subscriber is behind. */
    public synchronized boolean isPaused(String topic) {
        ReaderSlot slot = readers.get(topic);
        return slot != null && slot.reader.isPaused();
    }

    public synchronized boolean readsTopic(String topic) {
        return readers.containsKey(topic);
    }

    /** How records become frames, for every reader of this fan-out. */
    RecordConverter converter() {
        return converter;
    }

    /** History reads running now. */
    public int activeHistoryReads() {
        return catchUps.getActiveCount();
    }

    private synchronized TopicReader acquire(String topic) {
        ReaderSlot slot = readers.get(topic);
        if (slot == null) {
            ReaderLoop loop = leastLoadedLoop();
            TopicReader reader = new TopicReader(topic, loop, config.partitionRefresh(), converter);
            slot = new ReaderSlot(reader, loop);
            readers.put(topic, slot);
            loop.placedTopics++;
            loop.add(reader);
        }
        slot.members++;
        return slot.reader;
    }

    /** The running loop with the fewest topics, or a new one while the pool has room and none is free. */
    private ReaderLoop leastLoadedLoop() {
        int best = -1;
        int free = -1;
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == null) {
                free = free < 0 ? i : free;
            } else if (best < 0 || loops[i].placedTopics < loops[best].placedTopics) {
                best = i;
            }
        }
        if (free >= 0 && (best < 0 || loops[best].placedTopics > 0)) {
            int number = free + 1;
            loops[free] = new ReaderLoop("reader-" + number,
                    () -> new KafkaConsumer<>(configs.reader("reader-" + number)), this, config.readerLinger(),
                    metrics);
            loops[free].start();
            return loops[free];
        }
        return loops[best];
    }

    private synchronized void release(Subscription subscription) {
        if (!subscription.markReleased()) {
            return;
        }
        ReaderSlot slot = readers.get(subscription.channel());
        if (slot != null && slot.members > 0) {
            slot.members--;
        }
    }

    /** Called by an idle reader: it may stop only if no subscription is joining it. */
    synchronized boolean retireIfUnused(TopicReader reader) {
        ReaderSlot slot = readers.get(reader.topic());
        if (slot == null || slot.reader != reader) {
            return true;
        }
        if (slot.members > 0) {
            return false;
        }
        readers.remove(reader.topic());
        slot.loop.placedTopics--;
        return true;
    }

    /**
     * A loop ended: at shutdown, or because its consumer could not be built (its commands failed, so no
     * subscription joined it). Its topics are forgotten and its place is taken by a new loop on next use.
     */
    synchronized void readerLoopStopped(ReaderLoop loop) {
        readers.values().removeIf(slot -> slot.loop == loop);
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == loop && !closing) {
                loops[i] = null;
            }
        }
    }

    /** Kafka reader loops running now: at most {@code passerelle.kafka.reader-threads}. */
    public synchronized int readerLoops() {
        int running = 0;
        for (ReaderLoop loop : loops) {
            running += loop == null ? 0 : 1;
        }
        return running;
    }

    @PreDestroy
    void close() {
        catchUps.shutdownNow();
        synchronized (this) {
            closing = true;
            for (ReaderLoop loop : loops) {
                if (loop != null) {
                    loop.shutdown();
                }
            }
            readers.clear();
        }
    }
}
