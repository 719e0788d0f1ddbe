package io.passerelle.kafka;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.Metadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The replica's one producer (acks=all, idempotent).
 * <p>
 * {@link KafkaProducer#send} blocks in two cases only: the topic is not in the producer's metadata yet, or its
 * buffer is full. When neither can happen (the producer knows the topic's partitions, a quarter of its buffer is
 * free, and nothing is waiting for the hand-off thread) the record is sent on the caller's thread, an event loop,
 * which costs no thread switch. The buffer's free memory is read once per budget, not per record: a read grants
 * what is free beyond the quarter, and each direct send spends the most it can take from the buffer (a new batch,
 * or the record itself when it is larger). Otherwise the record goes to one dedicated hand-off thread, where
 * blocking is harmless; the hand-off queue is bounded, and when it is full the publish fails at once. Either way
 * a connection's records reach the producer in the order they arrived: a record is only sent directly when no
 * earlier one is still waiting for the hand-off thread, and every connection publishes from one event loop.
 */
@ApplicationScoped
@RegisterForReflection(targets = KafkaProducer.class, fields = true, methods = false)
public class RecordPublisher {

    private static final Logger LOG = Logger.getLogger(RecordPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final ThreadPoolExecutor sender;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Records given to the hand-off thread and not yet in the producer. */
    private final AtomicInteger handedOff = new AtomicInteger();
    /** The producer's own view of the cluster, read without blocking; null when it could not be reached. */
    private final Metadata metadata;
    private final Metric bufferAvailable;
    private final double bufferHeadroom;
    /** The most one send takes from the buffer: a new batch of {@code batch.size}. */
    private final int batchSize;
    /**
     * Bytes direct sends may still take before the buffer's free memory is read again. Two loops may refill it at
     * once and one overwrite the other's spending: the quarter kept free covers a batch per loop.
     */
    private final AtomicLong directBudget = new AtomicLong();

    public RecordPublisher(KafkaClientConfigs configs, KafkaGatewayConfig config) {
        Map<String, Object> producerConfig = configs.producer();
        this.producer = new KafkaProducer<>(producerConfig);
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.maxQueuedPublishes()),
                runnable -> {
                    Thread thread = new Thread(runnable, "passerelle-producer-send");
                    thread.setDaemon(true);
                    return thread;
                });
        this.batchSize = batchSize(producerConfig);
        this.metadata = producerMetadata(producer);
        this.bufferAvailable = producerMetric("buffer-available-bytes");
        Metric bufferTotal = producerMetric("buffer-total-bytes");
        // A send may take a new batch from the buffer: a quarter of it free leaves room for every event loop's.
        this.bufferHeadroom = bufferTotal == null ? Double.MAX_VALUE : value(bufferTotal) / 4;
    }

    /** Completes once Kafka acknowledged the record, or exceptionally when it was not written. */
    public CompletionStage<RecordMetadata> publish(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        publish(record, (metadata, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }

    /**
     * Calls back once Kafka acknowledged the record or failed to write it: on the producer's I/O thread, or on the
     * caller's when the record could not even be handed over.
     */
    public void publish(ProducerRecord<byte[], byte[]> record, Callback whenWritten) {
        inFlight.incrementAndGet();
        Callback callback = (metadata, failure) -> {
            inFlight.decrementAndGet();
            whenWritten.onCompletion(metadata, failure);
        };
        if (sendsWithoutBlocking(record)) {
            send(record, callback);
            return;
        }
        handedOff.incrementAndGet();
        directBudget.set(0); // the hand-off thread's sends take from the buffer too: read it again afterwards
        try {
            sender.execute(() -> {
                try {
                    send(record, callback);
                } finally {
                    handedOff.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            handedOff.decrementAndGet();
            callback.onCompletion(null, new TimeoutException("too many publishes are waiting for Kafka"));
        }
    }

    private void send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        try {
            producer.send(record, callback);
        } catch (RuntimeException e) {
            callback.onCompletion(null, e);
        }
    }

    /** True when {@code send} cannot block for the record now and sending now keeps every connection's order. */
    private boolean sendsWithoutBlocking(ProducerRecord<byte[], byte[]> record) {
        if (metadata == null || bufferAvailable == null || handedOff.get() != 0
                || metadata.fetch().partitionCountForTopic(record.topic()) == null) {
            return false;
        }
        long cost = Math.max(batchSize, upperBoundBytes(record));
        return directBudget.addAndGet(-cost) >= 0 || refillBudget(cost);
    }

    /** Reads the buffer's free memory again; true when it leaves room for this send beyond the quarter kept free. */
    private synchronized boolean refillBudget(long cost) {
        long budget = (long) (value(bufferAvailable) - bufferHeadroom) - cost;
        directBudget.set(Math.max(0, budget));
        return budget >= 0;
    }

    /** More than the record takes in a batch: its bytes, its headers' names as UTF-8 at most, and framing. */
    private static long upperBoundBytes(ProducerRecord<byte[], byte[]> record) {
        long bytes = 64L + (record.key() == null ? 0 : record.key().length)
                + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            bytes += 16L + 3L * header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }

    private static int batchSize(Map<String, Object> producerConfig) {
        Object configured = producerConfig.getOrDefault(ProducerConfig.BATCH_SIZE_CONFIG,
                ProducerConfig.configDef().defaultValues().get(ProducerConfig.BATCH_SIZE_CONFIG));
        return (Integer) ConfigDef.parseType(ProducerConfig.BATCH_SIZE_CONFIG, configured, ConfigDef.Type.INT);
    }

    /** Records handed to the publisher and not yet acknowledged or failed. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Sends what the producer has batched, waiting up to the producer's own bounds. */
    public void flush() {
        producer.flush();
    }

    private Metric producerMetric(String name) {
        for (Map.Entry<MetricName, ? extends Metric> metric : producer.metrics().entrySet()) {
            if (metric.getKey().name().equals(name) && metric.getKey().group().equals("producer-metrics")) {
                return metric.getValue();
            }
        }
        LOG.warnf("The producer has no metric %s: every publish goes through the hand-off thread", name);
        return null;
    }

    private static double value(Metric metric) {
        return ((Number) metric.metricValue()).doubleValue();
    }

    /** The producer's metadata; it has no public accessor, and without it every send goes to the hand-off thread. */
    private static Metadata producerMetadata(KafkaProducer<?, ?> producer) {
        try {
            Field field = KafkaProducer.class.getDeclaredField("metadata");
            field.setAccessible(true);
            return (Metadata) field.get(producer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("The producer's metadata cannot be read (%s): every publish goes through the hand-off thread",
                    e.toString());
            return null;
        }
    }

    @PreDestroy
    void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
