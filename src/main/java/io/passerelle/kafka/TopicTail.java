package io.passerelle.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads every partition of one topic on a thread of its own, without a consumer group, and hands each record to a
 * handler: how every replica follows the outbox and the lifecycle topic. It waits for the topic to exist, picks up
 * partitions added later (from their start), and survives handler failures.
 */
public final class TopicTail implements ConsumerLoop.Body {

    private static final Logger LOG = Logger.getLogger(TopicTail.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final String topic;
    private final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final PartitionFollower partitions;
    private final ConsumerLoop loop;

    /**
     * @param startAt where to start: records from this time on, or null for only records appended from now on
     */
    public TopicTail(String name, String topic, Supplier<Consumer<byte[], byte[]>> consumer, Instant startAt,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this.topic = topic;
        this.handler = handler;
        this.partitions = new PartitionFollower(topic, PARTITION_REFRESH,
                (first, added) -> positionAt(first, added, startAt));
        this.loop = new ConsumerLoop(name, consumer, this);
    }

    public void start() {
        loop.start();
    }

    /** Stops reading and waits (boundedly) until the consumer closed. */
    public void stop() {
        loop.stop();
        try {
            loop.ended().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("The reader of %s did not stop in time: %s", topic, e);
        }
    }

    @Override
    public void prepare(Consumer<byte[], byte[]> consumer) {
        partitions.refreshIfDue(consumer);
    }

    @Override
    public void turn(Consumer<byte[], byte[]> consumer) {
        if (partitions.assigned().isEmpty()) {
            loop.idle(ConsumerLoop.RETRY_PAUSE);
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            handle(record);
        }
    }

    @Override
    public boolean failed(RuntimeException failure) {
        LOG.warnf("Reading %s failed (%s); retrying", topic, failure.toString());
        return true;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        try {
            handler.accept(record);
        } catch (RuntimeException e) {
            LOG.warnf(e, "A record of %s at %d/%d could not be handled", topic, record.partition(), record.offset());
        }
    }

    private static void positionAt(Consumer<byte[], byte[]> consumer, Set<TopicPartition> partitions,
            Instant startAt) {
        if (startAt == null) {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, startAt.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = found.get(partition);
            if (offset == null) {
                consumer.seekToEnd(Set.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
            consumer.position(partition);
        }
    }
}
