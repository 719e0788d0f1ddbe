package io.passerelle.kafka;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The replica's one producer (acks=all, idempotent). {@link KafkaProducer#send} can block on metadata or a full
 * buffer, so it runs on one dedicated thread, never on an event loop; one thread also keeps each connection's
 * publishes in the order they arrived. The hand-off queue is bounded: when it is full, the publish fails at once.
 */
@ApplicationScoped
public class RecordPublisher {

    private final Producer<byte[], byte[]> producer;
    private final ThreadPoolExecutor sender;
    private final AtomicInteger inFlight = new AtomicInteger();

    public RecordPublisher(KafkaClientConfigs configs, KafkaGatewayConfig config) {
        this.producer = new KafkaProducer<>(configs.producer());
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.maxQueuedPublishes()),
                runnable -> {
                    Thread thread = new Thread(runnable, "passerelle-producer-send");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Completes once Kafka acknowledged the record, or exceptionally when it was not written. */
    public CompletionStage<RecordMetadata> publish(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        inFlight.incrementAndGet();
        result.whenComplete((metadata, failure) -> inFlight.decrementAndGet());
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (metadata, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(failure);
                        } else {
                            result.complete(metadata);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new TimeoutException("too many publishes are waiting for Kafka"));
        }
        return result;
    }

    /** Records handed to the publisher and not yet acknowledged or failed. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Sends what the producer has batched, waiting up to the producer's own bounds. */
    public void flush() {
        producer.flush();
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
