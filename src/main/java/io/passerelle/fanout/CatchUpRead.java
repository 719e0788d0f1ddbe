package io.passerelle.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import io.passerelle.protocol.ErrorCode;
import io.passerelle.protocol.OffsetOutOfRangeException;
import io.passerelle.protocol.ProtocolException;
import io.passerelle.protocol.StartPosition;

/**
 * Reads a subscription's history (from earliest, or from given offsets) with a consumer of its own, then hands
 * the subscription over to the topic's shared reader once it has caught up with it. History never holds back the
 * live subscribers of the shared reader.
 */
final class CatchUpRead implements Runnable {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final Subscription subscription;
    private final StartPosition from;
    private final String requestId;
    private final Consumer<byte[], byte[]> consumer;
    private final TopicReader reader;
    private final SubscribeCallbacks callbacks;
    private final Duration timeout;

    CatchUpRead(Subscription subscription, StartPosition from, String requestId, Consumer<byte[], byte[]> consumer,
            TopicReader reader, SubscribeCallbacks callbacks, Duration timeout) {
        this.subscription = subscription;
        this.from = from;
        this.requestId = requestId;
        this.consumer = consumer;
        this.reader = reader;
        this.callbacks = callbacks;
        this.timeout = timeout;
    }

    @Override
    public void run() {
        boolean started = false;
        try (consumer) {
            if (subscription.isClosed()) {
                return;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(subscription.channel())) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = startOffsets(partitions, first, end);
            start.forEach((partition, offset) -> {
                consumer.seek(partition, offset);
                subscription.startAt(partition.partition(), offset);
            });
            Map<Integer, Long> positions = new HashMap<>();
            start.forEach((partition, offset) -> positions.put(partition.partition(), offset));
            callbacks.subscribed().accept(positions);
            started = true;
            Map<TopicPartition, Long> target = end;
            while (!subscription.isClosed()) {
                if (reached(target)) {
                    if (reader.tryHandOver(subscription).get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    target = consumer.endOffsets(partitions);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    subscription.offer(new EventFrame(record));
                }
                subscription.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callbacks.failed().accept(e, started);
        } catch (Exception e) {
            callbacks.failed().accept(e, started);
        }
    }

    private Map<TopicPartition, Long> startOffsets(List<TopicPartition> partitions, Map<TopicPartition, Long> first,
            Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> start = new HashMap<>();
        if (from instanceof StartPosition.Offsets offsets) {
            Map<Integer, OffsetOutOfRangeException.Range> available = new HashMap<>();
            boolean outOfRange = false;
            for (Integer partition : offsets.offsets().keySet()) {
                if (partition >= partitions.size()) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, requestId,
                            "channel has no partition " + partition);
                }
            }
            for (TopicPartition partition : partitions) {
                long requested = offsets.offsets().getOrDefault(partition.partition(), end.get(partition));
                available.put(partition.partition(),
                        new OffsetOutOfRangeException.Range(first.get(partition), end.get(partition) - 1));
                outOfRange |= requested < first.get(partition) || requested > end.get(partition);
                start.put(partition, requested);
            }
            if (outOfRange) {
                throw new OffsetOutOfRangeException(requestId,
                        "requested offsets are not available; see 'available' for what each partition holds",
                        available);
            }
        } else {
            start.putAll(first);
        }
        return start;
    }

    private boolean reached(Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> entry : target.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
