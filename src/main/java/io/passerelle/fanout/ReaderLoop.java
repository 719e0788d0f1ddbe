package io.passerelle.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.passerelle.kafka.ConsumerLoop;
import io.passerelle.metrics.GatewayMetrics;

/**
 * One of the few readers that serve every subscribed topic of this replica: a {@link ConsumerLoop} (one Kafka
 * consumer, one thread) assigned to the partitions of each of its {@link TopicReader}s. A topic costs no thread: it
 * is a share of one of these loops. Everything but {@link #add}, {@link #execute}, {@link #call} and
 * {@link #shutdown} runs on the loop's thread.
 */
final class ReaderLoop implements ConsumerLoop.Body {

    private static final Logger LOG = Logger.getLogger(ReaderLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration BACKPRESSURE_WAIT = Duration.ofMillis(20);

    private final String name;
    private final Fanout owner;
    private final Duration linger;
    private final ConsumerLoop loop;
    private final GatewayMetrics metrics;
    private final Map<String, TopicReader> topics = new HashMap<>();
    private final List<Subscription> received = new ArrayList<>();
    /** Topics placed on this loop: kept by {@link Fanout}, under its monitor, to place new topics. */
    int placedTopics;

    ReaderLoop(String name, Supplier<Consumer<byte[], byte[]>> consumer, Fanout owner, Duration linger,
            GatewayMetrics metrics) {
        this.name = name;
        this.owner = owner;
        this.linger = linger;
        this.metrics = metrics;
        this.loop = new ConsumerLoop(name, consumer, this);
    }

    void start() {
        loop.start();
    }

    void shutdown() {
        loop.stop();
    }

    /** Starts serving the topic, before any command that follows runs. */
    void add(TopicReader reader) {
        loop.execute(consumer -> topics.put(reader.topic(), reader));
    }

    CompletableFuture<Void> execute(java.util.function.Consumer<Consumer<byte[], byte[]>> action) {
        return loop.execute(action);
    }

    <T> CompletableFuture<T> call(Function<Consumer<byte[], byte[]>, T> action) {
        return loop.call(action);
    }

    /**
     * For a topic's {@link io.passerelle.kafka.PartitionFollower}: assigns the topic's new partitions beside the
     * other topics' current ones (each reader's follower is where its partitions are kept).
     */
    void assign(Consumer<byte[], byte[]> consumer, String topic, Set<TopicPartition> topicPartitions) {
        Set<TopicPartition> all = new HashSet<>(topicPartitions);
        for (TopicReader reader : topics.values()) {
            if (!reader.topic().equals(topic)) {
                all.addAll(reader.assigned());
            }
        }
        consumer.assign(all);
    }

    @Override
    public void prepare(Consumer<byte[], byte[]> consumer) {
        for (TopicReader reader : topics.values()) {
            reader.prepare(consumer);
        }
    }

    @Override
    public void turn(Consumer<byte[], byte[]> consumer) {
        retireIdleTopics(consumer);
        boolean anyFetching = applyBackpressure(consumer);
        if (consumer.assignment().isEmpty()) {
            // No topic with partitions: nothing to poll until a command or a refresh brings some.
            loop.idle(ConsumerLoop.RETRY_PAUSE);
            return;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(anyFetching ? POLL_TIMEOUT : BACKPRESSURE_WAIT);
        if (records.isEmpty()) {
            if (anyFetching) {
                topics.values().forEach(reader -> reader.refresh(consumer));
            }
            return;
        }
        for (TopicPartition partition : records.partitions()) {
            TopicReader reader = topics.get(partition.topic());
            if (reader == null) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (reader.dispatch(record, received)) {
                    metrics.delivered(record.timestamp());
                }
            }
        }
        for (int i = 0; i < received.size(); i++) {
            received.get(i).flush();
        }
        received.clear();
    }

    /** Pauses the partitions of topics whose every subscriber is behind, resumes the others; true if any fetches. */
    private boolean applyBackpressure(Consumer<byte[], byte[]> consumer) {
        boolean anyFetching = false;
        for (TopicReader reader : topics.values()) {
            boolean behind = reader.everySubscriberBehind();
            if (behind != reader.isPaused()) {
                if (behind) {
                    consumer.pause(reader.assigned());
                } else {
                    consumer.resume(reader.assigned());
                }
                reader.setPaused(behind);
            }
            anyFetching |= !behind && !reader.assigned().isEmpty();
        }
        return anyFetching;
    }

    private void retireIdleTopics(Consumer<byte[], byte[]> consumer) {
        for (Iterator<TopicReader> it = topics.values().iterator(); it.hasNext();) {
            TopicReader reader = it.next();
            if (reader.idleFor(linger) && owner.retireIfUnused(reader)) {
                it.remove();
                if (!reader.assigned().isEmpty()) {
                    assign(consumer, reader.topic(), Set.of());
                }
            }
        }
    }

    @Override
    public boolean failed(RuntimeException failure) {
        LOG.warnf("Reader %s of %d topics failed (%s); retrying", name, topics.size(), failure.toString());
        return true;
    }

    @Override
    public void closed() {
        owner.readerLoopStopped(this);
    }

    @Override
    public String toString() {
        return "ReaderLoop[" + name + "]";
    }
}
