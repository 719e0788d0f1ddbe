package io.passerelle.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's meters, in one place so that names and labels stay consistent. Labels take only bounded values
 * (frame types, close codes, error codes, HTTP statuses), never a user or connection id.
 */
@Singleton
public class GatewayMetrics {

    public static final String EVENT = "event";
    /** Frame types the protocol knows; anything else is counted as {@code invalid}. */
    private static final String[] FRAME_TYPES = {"publish", "subscribe", "unsubscribe", "ping", "commit", "refresh",
            "ack", "error", "event", "subscribed", "unsubscribed", "pong", "message", "reply", "committed",
            "assigned", "token_expiring", "refreshed"};

    private final MeterRegistry registry;
    private final Map<String, Counter> framesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> publishErrors = new ConcurrentHashMap<>();
    private final Counter opened;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final Counter slowConsumers;
    private final Counter tokenExpiries;
    private final Timer publishLatency;
    private final Timer deliveryLag;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.opened = Counter.builder("passerelle.connections.opened").description("WebSocket connections opened")
                .register(registry);
        this.bytesIn = Counter.builder("passerelle.bytes.received").baseUnit("bytes")
                .description("Payload bytes received from clients").register(registry);
        this.bytesOut = Counter.builder("passerelle.bytes.sent").baseUnit("bytes")
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
    }

    public MeterRegistry registry() {
        return registry;
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

    public void frameIn(String type, int length) {
        bytesIn.increment(length);
        counter(framesIn, known(type), t -> Counter.builder("passerelle.frames.received")
                .description("Frames received from clients, by type").tag("type", t).register(registry))
                .increment();
    }

    /** Counts a frame written by the gateway, of the given type ({@link #typeOf}) and size in bytes. */
    public void frameOut(String type, int bytes) {
        bytesOut.increment(bytes);
        counter(framesOut, type, t -> Counter.builder("passerelle.frames.sent")
                .description("Frames sent to clients, by type").tag("type", t).register(registry)).increment();
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

    private static <K> Counter counter(Map<K, Counter> cache, K key, Function<K, Counter> create) {
        Counter counter = cache.get(key);
        return counter != null ? counter : cache.computeIfAbsent(key, create);
    }

    private static String known(String type) {
        for (String candidate : FRAME_TYPES) {
            if (candidate.equals(type)) {
                return candidate;
            }
        }
        return "invalid";
    }

    /** Frames written by the gateway start with {"type":"…"; no parsing is needed. */
    public static String typeOf(String frame) {
        int start = 9;
        if (!frame.startsWith("{\"type\":\"")) {
            return "invalid";
        }
        for (String candidate : FRAME_TYPES) {
            if (frame.startsWith(candidate, start) && frame.length() > start + candidate.length()
                    && frame.charAt(start + candidate.length()) == '"') {
                return candidate;
            }
        }
        return "invalid";
    }
}
