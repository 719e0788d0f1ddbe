package io.passerelle.tracing;

import java.util.function.BiConsumer;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;

/** A started span of the gateway, or {@link #NONE} when tracing is off: then every method does nothing. */
public final class Trace {

    public static final Trace NONE = new Trace(null, null);

    private final Span span;
    private final String traceState;

    Trace(Span span, String traceState) {
        this.span = span;
        this.traceState = traceState;
    }

    /** True when this span stands for the trace context: the client's own headers are then replaced by it. */
    public boolean active() {
        return span != null;
    }

    /**
     * Writes this span's context as W3C headers: {@code traceparent} names this span as the parent, the client's
     * {@code tracestate} is kept as it was.
     */
    public void inject(BiConsumer<String, String> header) {
        if (span == null) {
            return;
        }
        SpanContext context = span.getSpanContext();
        header.accept(Tracing.TRACEPARENT,
                "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex());
        if (traceState != null) {
            header.accept(Tracing.TRACESTATE, traceState);
        }
    }

    /** Kafka's answer to a publish. */
    public void acked(int partition, long offset) {
        if (span != null) {
            span.setAttribute("messaging.destination.partition.id", Integer.toString(partition));
            span.setAttribute("messaging.kafka.offset", offset);
            span.end();
        }
    }

    /** Refused or failed, with the error code the client was answered with. */
    public void failed(String errorCode, String message) {
        if (span != null) {
            span.setStatus(StatusCode.ERROR, message);
            span.setAttribute("error.type", errorCode);
            span.end();
        }
    }
}
