package io.passerelle.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads every partition of one topic on a thread of its own, without a consumer group, and hands each record to a
 * handler: how every replica follows the outbox and the lifecycle topic. It waits for the topic to exist, picks up
 * partitions added later (from their start), and survives handler failures.
 */
public final class TopicTail implements Runnable {

    private static final Logger LOG = Logger.getLogger(TopicTail.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    private final String topic;
    private final Supplier<KafkaConsumer<byte[], byte[]>> consumerFactory;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private final Instant startAt;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Thread thread;
    private volatile boolean running = true;
    private Set<TopicPartition> assigned = Set.of();
    private long lastRefreshNanos;

    /**
     * @param startAt where to start: records from this time on, or null for only records appended from now on
     */
    public TopicTail(String name, String topic, Supplier<KafkaConsumer<byte[], byte[]>> consumer,
            Instant startAt, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this.topic = topic;
        this.consumerFactory = consumer;
        this.startAt = startAt;
        this.handler = handler;
        this.thread = new Thread(this, "passerelle-" + name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        // The consumer is made on this thread, off the application's start path.
        consumer = consumerFactory.get();
        try {
            while (running) {
                try {
                    if (assigned.isEmpty() || System.nanoTime() - lastRefreshNanos > PARTITION_REFRESH.toNanos()) {
                        refreshPartitions();
                    }
                    if (assigned.isEmpty()) {
                        Thread.sleep(1000);
                        continue;
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                        handle(record);
                    }
                } catch (WakeupException e) {
                    // stop() was called
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf("Reading %s failed (%s); retrying", topic, e.toString());
                    sleepQuietly();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            handler.accept(record);
        } catch (RuntimeException e) {
            LOG.warnf(e, "A record of %s at %d/%d could not be handled", topic, record.partition(), record.offset());
        }
    }

    private void refreshPartitions() {
        lastRefreshNanos = System.nanoTime();
        Set<TopicPartition> current = new HashSet<>();
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
            current.add(new TopicPartition(topic, info.partition()));
        }
        if (current.isEmpty() || current.equals(assigned)) {
            return;
        }
        Set<TopicPartition> added = new HashSet<>(current);
        added.removeAll(assigned);
        boolean first = assigned.isEmpty();
        consumer.assign(current);
        if (!first) {
            consumer.seekToBeginning(added);
        } else if (startAt == null) {
            consumer.seekToEnd(added);
            added.forEach(consumer::position);
        } else {
            Map<TopicPartition, Long> query = new HashMap<>();
            added.forEach(partition -> query.put(partition, startAt.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            for (TopicPartition partition : added) {
                OffsetAndTimestamp offset = found.get(partition);
                if (offset == null) {
                    consumer.seekToEnd(Set.of(partition));
                } else {
                    consumer.seek(partition, offset.offset());
                }
                consumer.position(partition);
            }
        }
        assigned = Set.copyOf(current);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
