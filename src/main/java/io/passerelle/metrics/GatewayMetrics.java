package io.passerelle.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's meters, in one place so that names and labels stay consistent. Labels take only bounded values
 * (frame types, close codes, error codes, HTTP statuses), never a user or connection id.
 */
@Singleton
public class GatewayMetrics {

    private static final String FRAMES_SENT = "passerelle.frames.sent";
    private static final String FRAMES_SENT_DESCRIPTION = "Frames sent to clients, by type";

    /** The type of frames sent and received whose type the protocol does not know. */
    public static final String INVALID = "invalid";
    private static final String EVENT = "event";

    /** What became of an outbox record on this replica. */
    public enum OutboxResult {
        DELIVERED("delivered"), NO_LOCAL_TARGET("no_local_target"), NO_TARGET("no_target"), COMMAND(
                "command"), QUESTION("question");

        private final String tag;

        OutboxResult(String tag) {
            this.tag = tag;
        }
    }

    private final MeterRegistry registry;
    /*
     * The meters counted for every frame (a delivered record is one) are adders read at scrape time: a counter of
     * the composite registry costs an iteration over its registries per increment, a tenth of a reader's time.
     */
    private final Map<String, LongAdder> framesIn = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> framesOut = new ConcurrentHashMap<>();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder eventsOut;
    private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> publishErrors = new ConcurrentHashMap<>();
    private final Counter opened;
    private final Counter slowConsumers;
    private final Counter tokenExpiries;
    private final Timer publishLatency;
    private final Timer deliveryLag;
    private final Counter lifecycleFailures;
    private final Map<OutboxResult, Counter> outboxRecords = new EnumMap<>(OutboxResult.class);

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.eventsOut = adder(framesOut, EVENT, FRAMES_SENT, FRAMES_SENT_DESCRIPTION);
        this.opened = Counter.builder("passerelle.connections.opened").description("WebSocket connections opened")
                .register(registry);
        FunctionCounter.builder("passerelle.bytes.received", bytesIn, LongAdder::sum).baseUnit("bytes")
                .description("Payload bytes received from clients").register(registry);
        FunctionCounter.builder("passerelle.bytes.sent", bytesOut, LongAdder::sum).baseUnit("bytes")
                .description("Payload bytes sent to clients").register(registry);
        this.slowConsumers = Counter.builder("passerelle.connections.slow.consumer")
                .description("Connections closed because they did not read their frames").register(registry);
        this.tokenExpiries = Counter.builder("passerelle.connections.token.expired")
                .description("Connections closed because their token expired").register(registry);
        this.publishLatency = Timer.builder("passerelle.publish.latency")
                .description("From a publish frame's arrival to Kafka's acknowledgement").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.deliveryLag = Timer.builder("passerelle.delivery.lag")
                .description("From a record's Kafka timestamp to its event frames being sent")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        this.lifecycleFailures = Counter.builder("passerelle.lifecycle.publish.failures")
                .description("Lifecycle events that could not be written to Kafka").register(registry);
        for (OutboxResult result : OutboxResult.values()) {
            outboxRecords.put(result, Counter.builder("passerelle.outbox.records")
                    .description("Outbox records read by this replica, by what became of them")
                    .tag("result", result.tag).register(registry));
        }
    }

    /** The gauges of this replica's connections, read at each scrape. */
    public void watchConnections(IntSupplier open, LongSupplier queuedFrames) {
        Gauge.builder("passerelle.connections.open", open::getAsInt)
                .description("WebSocket connections open on this replica").register(registry);
        Gauge.builder("passerelle.outbound.queued.frames", queuedFrames::getAsLong)
                .description("Frames written to sockets and not yet taken by the network, all connections")
                .register(registry);
    }

    public void outboxRecord(OutboxResult result) {
        outboxRecords.get(result).increment();
    }

    public void lifecyclePublishFailed() {
        lifecycleFailures.increment();
    }

    public void connectionOpened() {
        opened.increment();
    }

    public void connectionClosed(int code) {
        counter(closes, code, c -> Counter.builder("passerelle.connections.closed")
                .description("WebSocket connections closed, by close code").tag("code", Integer.toString(c))
                .register(registry)).increment();
    }

    public void upgradeRejected(int status) {
        counter(rejections, status, s -> Counter.builder("passerelle.upgrades.rejected")
                .description("WebSocket upgrades refused, by HTTP status").tag("status", Integer.toString(s))
                .register(registry)).increment();
    }

    /** Counts a frame received, of a type of the protocol or {@link #INVALID}, and its size. */
    public void frameIn(String type, int length) {
        bytesIn.add(length);
        adder(framesIn, type, "passerelle.frames.received", "Frames received from clients, by type").increment();
    }

    /** Counts a frame written by the gateway, of the given type and size in bytes. */
    public void frameOut(String type, int bytes) {
        bytesOut.add(bytes);
        adder(framesOut, type, FRAMES_SENT, FRAMES_SENT_DESCRIPTION).increment();
    }

    /** Counts an event frame written, of the given size: {@link #frameOut} without the lookup, once per record. */
    public void eventOut(int bytes) {
        bytesOut.add(bytes);
        eventsOut.increment();
    }

    public void publishAcked(long startNanos) {
        publishLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public void publishFailed(String code) {
        counter(publishErrors, code, c -> Counter.builder("passerelle.publish.errors")
                .description("Publishes answered with an error, by code").tag("code", c).register(registry))
                .increment();
    }

    public void delivered(long recordTimestampMillis) {
        long lag = System.currentTimeMillis() - recordTimestampMillis;
        deliveryLag.record(Math.max(0, lag), TimeUnit.MILLISECONDS);
    }

    public void slowConsumerClosed() {
        slowConsumers.increment();
    }

    public void tokenExpired() {
        tokenExpiries.increment();
    }

    /** The adder of a frame type, registered as a counter tagged with the type on first use. */
    private LongAdder adder(Map<String, LongAdder> cache, String type, String name, String description) {
        LongAdder adder = cache.get(type);
        return adder != null ? adder : cache.computeIfAbsent(type, t -> {
            LongAdder created = new LongAdder();
            FunctionCounter.builder(name, created, LongAdder::sum).description(description).tag("type", t)
                    .register(registry);
            return created;
        });
    }

    private static <K> Counter counter(Map<K, Counter> cache, K key, Function<K, Counter> create) {
        Counter counter = cache.get(key);
        return counter != null ? counter : cache.computeIfAbsent(key, create);
    }
}
