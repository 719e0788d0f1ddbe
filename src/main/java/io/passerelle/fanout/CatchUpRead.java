package io.passerelle.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import io.passerelle.kafka.ConsumerLoop;
import io.passerelle.kafka.TopicAbsence;
import io.passerelle.protocol.OffsetOutOfRangeException;
import io.passerelle.protocol.StartPosition;

/**
 * Reads a subscription's history (from earliest, or from given offsets) with a consumer of its own, on a thread of
 * the bounded history pool, then hands the subscription over to the topic's shared reader once it has caught up
 * with it. History never holds back the live subscribers of the shared reader.
 */
final class CatchUpRead implements ConsumerLoop.Body, Runnable {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration BACKED_UP_WAIT = Duration.ofMillis(20);

    private final TopicAbsence absence = new TopicAbsence();
    private final Subscription subscription;
    private final StartPosition from;
    private final TopicReader reader;
    private final SubscribeCallbacks callbacks;
    private final Duration timeout;
    private final ConsumerLoop loop;
    private List<TopicPartition> partitions;
    private Map<TopicPartition, Long> target;
    private boolean started;

    CatchUpRead(Subscription subscription, StartPosition from, Supplier<Consumer<byte[], byte[]>> consumer,
            TopicReader reader, SubscribeCallbacks callbacks, Duration timeout) {
        this.subscription = subscription;
        this.from = from;
        this.reader = reader;
        this.callbacks = callbacks;
        this.timeout = timeout;
        this.loop = new ConsumerLoop("catch-up-" + subscription.channel(), consumer, this);
    }

    /** Reads on the calling thread, one of the history pool's, until handed over or ended. */
    @Override
    public void run() {
        loop.run();
    }

    @Override
    public void turn(Consumer<byte[], byte[]> consumer) {
        if (subscription.isClosed()) {
            loop.stop();
        } else if (!started) {
            start(consumer);
        } else if (reached(consumer, target)) {
            if (handedOver()) {
                loop.stop();
            } else {
                target = consumer.endOffsets(partitions);
            }
        } else if (subscription.isBackedUp()) {
            // The socket reads slower than Kafka serves history: the rest waits in Kafka, not in the heap, and a
            // client that keeps reading is never closed as a slow consumer.
            loop.idle(BACKED_UP_WAIT);
        } else {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
            if (records.isEmpty() && absence.vanished(consumer.partitionsFor(subscription.channel()))) {
                // A deleted topic's fetches fail quietly: the history would never reach its end.
                throw new FanoutException(FanoutException.Reason.CHANNEL_DELETED, "the channel was deleted");
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                EventFrame frame = new EventFrame(record, reader.converter());
                subscription.offer(frame);
                frame.offered();
            }
            subscription.flush();
        }
    }

    private void start(Consumer<byte[], byte[]> consumer) {
        partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(subscription.channel())) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> first = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> start = startOffsets(first, end);
        Map<Integer, Long> positions = new HashMap<>();
        start.forEach((partition, offset) -> {
            consumer.seek(partition, offset);
            subscription.startAt(partition.partition(), offset);
            positions.put(partition.partition(), offset);
        });
        callbacks.subscribed().accept(positions);
        started = true;
        target = end;
    }

    private boolean handedOver() {
        try {
            return reader.tryHandOver(subscription).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the history read was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FanoutException refused) {
                throw refused; // the channel was deleted before the hand-over
            }
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new CompletionException(e);
        }
    }

    @Override
    public boolean failed(RuntimeException failure) {
        callbacks.failed().accept(failure, started);
        return false;
    }

    private Map<TopicPartition, Long> startOffsets(Map<TopicPartition, Long> first, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> start = new HashMap<>();
        if (!(from instanceof StartPosition.Offsets offsets)) {
            start.putAll(first);
            return start;
        }
        for (Integer partition : offsets.offsets().keySet()) {
            if (partition >= partitions.size()) {
                throw new FanoutException(FanoutException.Reason.NO_SUCH_PARTITION,
                        "channel has no partition " + partition);
            }
        }
        Map<Integer, OffsetOutOfRangeException.Range> available = new HashMap<>();
        boolean outOfRange = false;
        for (TopicPartition partition : partitions) {
            long requested = offsets.offsets().getOrDefault(partition.partition(), end.get(partition));
            available.put(partition.partition(),
                    new OffsetOutOfRangeException.Range(first.get(partition), end.get(partition) - 1));
            outOfRange |= requested < first.get(partition) || requested > end.get(partition);
            start.put(partition, requested);
        }
        if (outOfRange) {
            throw new FanoutException(FanoutException.Reason.OFFSETS_OUT_OF_RANGE,
                    "requested offsets are not available; see 'available' for what each partition holds", available);
        }
        return start;
    }

    private static boolean reached(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> target) {
        for (Map.Entry<TopicPartition, Long> entry : target.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
