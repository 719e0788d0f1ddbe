package io.passerelle.fanout;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
import io.passerelle.protocol.FrameSink;
import io.passerelle.protocol.StartPosition;

/**
 * Subscriptions of this replica's sockets to Kafka topics. Every topic with local subscribers has exactly one
 * {@link TopicReader}; history is read aside by a {@link CatchUpRead} and then joins that reader. Kafka consumers
 * are built on the threads that use them, never on the caller's (an event loop) nor under this monitor.
 */
@ApplicationScoped
public class Fanout {

    private static final class ReaderSlot {
        final TopicReader reader;
        int members;

        ReaderSlot(TopicReader reader) {
            this.reader = reader;
        }
    }

    private final KafkaClientConfigs configs;
    private final KafkaGatewayConfig config;
    private final ThreadPoolExecutor catchUps;
    private final Map<String, ReaderSlot> readers = new HashMap<>();
    private int groupMembers;

    private final GatewayMetrics metrics;

    public Fanout(KafkaClientConfigs configs, KafkaGatewayConfig config, GatewayMetrics metrics) {
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
    }

    /** A subscription not yet reading: the caller records it, then {@link #start}s it. */
    public Subscription newSubscription(String channel, String key, FrameSink sink) {
        return new Subscription(channel, key == null ? null : key.getBytes(StandardCharsets.UTF_8), sink);
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
     * Makes the subscription a member of the consumer group {@code group} for its channel. {@code subscribed}
     * runs once the group assigned partitions the first time.
     */
    public void startInGroup(Subscription subscription, String group, StartPosition from,
            SubscribeCallbacks callbacks) {
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
        }
        String offsetReset = from instanceof StartPosition.Earliest ? "earliest" : "latest";
        GroupMember member = new GroupMember(subscription,
                () -> new KafkaConsumer<>(configs.groupMember(config.groupIdPrefix() + group, offsetReset)),
                callbacks, this::groupMemberStopped);
        subscription.attachGroup(member);
        member.start();
    }

    /** Commits for a group subscription; completes exceptionally when the partition is not the socket's. */
    public CompletableFuture<Void> commit(Subscription subscription, int partition, long offset) {
        GroupMember member = subscription.group();
        if (member == null) {
            return CompletableFuture.failedFuture(new FanoutException(FanoutException.Reason.NOT_IN_A_GROUP,
                    "commit is for group subscriptions; subscribe with a 'group'"));
        }
        return member.commit(partition, offset);
    }

    private synchronized void groupMemberStopped() {
        groupMembers--;
    }

    /** Ends a subscription: once this returns, its sink receives nothing more. */
    public void unsubscribe(Subscription subscription) {
        if (subscription.isClosed()) {
            return;
        }
        subscription.close();
        GroupMember member = subscription.group();
        if (member != null) {
            member.stop();
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

    /** History reads running now. */
    public int activeHistoryReads() {
        return catchUps.getActiveCount();
    }

    private synchronized TopicReader acquire(String topic) {
        ReaderSlot slot = readers.get(topic);
        if (slot == null) {
            TopicReader reader = new TopicReader(topic, () -> new KafkaConsumer<>(configs.reader("reader-" + topic)),
                    this, config.readerLinger(), config.partitionRefresh(), metrics);
            slot = new ReaderSlot(reader);
            readers.put(topic, slot);
            reader.start();
        }
        slot.members++;
        return slot.reader;
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
        return true;
    }

    synchronized void readerStopped(TopicReader reader) {
        ReaderSlot slot = readers.get(reader.topic());
        if (slot != null && slot.reader == reader) {
            readers.remove(reader.topic());
        }
    }

    @PreDestroy
    void close() {
        catchUps.shutdownNow();
        synchronized (this) {
            readers.values().forEach(slot -> slot.reader.shutdown());
            readers.clear();
        }
    }
}
