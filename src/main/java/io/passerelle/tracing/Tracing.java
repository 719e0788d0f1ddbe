package io.passerelle.tracing;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The gateway's spans: a publish until Kafka's ack, a record until its frame is queued for the sockets it reaches
 * (the WebSocket upgrade is the HTTP server span of Quarkus' own instrumentation). The trace context crosses the
 * gateway as W3C {@code traceparent} and {@code tracestate} headers: from a publish's headers into the record's,
 * from the record's into its events.
 *
 * <p>
 * Off unless the OpenTelemetry SDK is enabled ({@code quarkus.otel.sdk.disabled=false}); then every method returns
 * at once, starts nothing and allocates nothing, and a client's {@code traceparent} reaches the record unchanged.
 * Spans are started and ended on whichever thread calls: an event loop or the producer's thread for publishes, a
 * reader's thread for deliveries; the SDK's batch processor exports them elsewhere.
 */
@ApplicationScoped
public class Tracing {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return PROPAGATOR.fields();
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private final Tracer tracer;

    @Inject
    Tracing(OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled) {
        this(sdkDisabled ? null : openTelemetry);
    }

    /** Spans from this OpenTelemetry, or none when null. */
    public Tracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry == null ? null : openTelemetry.getTracer("io.passerelle");
    }

    public boolean enabled() {
        return tracer != null;
    }

    /**
     * The span of a publish, from its acceptance to Kafka's answer, continuing the trace of the client's
     * {@code traceparent} header when it sent one; the record carries this span's context ({@link Trace#inject}).
     */
    public Trace publish(String channel, String connectionId, Map<String, String> clientHeaders) {
        if (tracer == null) {
            return Trace.NONE;
        }
        return new Trace(messaging(tracer.spanBuilder("send " + channel), "send", channel)
                .setParent(parentOf(clientHeaders::get))
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("passerelle.connection.id", connectionId)
                .startSpan());
    }

    /**
     * The delivery of a record that carries a valid trace context: its span starts now and is recorded only if the
     * record reached a socket of this replica ({@link DeliveryTrace#end}), so that replicas the record does not
     * concern add nothing to its trace.
     */
    public DeliveryTrace delivery(String topic, int partition, long offset, Function<String, String> recordHeaders) {
        if (tracer == null) {
            return DeliveryTrace.NONE;
        }
        Context parent = parentOf(recordHeaders);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return DeliveryTrace.NONE;
        }
        return new DeliveryTrace(messaging(tracer.spanBuilder("process " + topic), "process", topic)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.destination.partition.id", Integer.toString(partition))
                .setAttribute("messaging.kafka.offset", offset), currentEpochNanos());
    }

    private static SpanBuilder messaging(SpanBuilder builder, String operation, String topic) {
        return builder.setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", operation)
                .setAttribute("messaging.destination.name", topic);
    }

    private static Context parentOf(Function<String, String> headers) {
        return PROPAGATOR.extract(Context.root(), headers, HEADERS);
    }

    private static long currentEpochNanos() {
        return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    }
}
