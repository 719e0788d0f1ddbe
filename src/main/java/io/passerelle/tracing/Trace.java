package io.passerelle.tracing;

import java.util.function.BiConsumer;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/** A started span of the gateway, or {@link #NONE} when tracing is off: then every method does nothing. */
public final class Trace {

    public static final Trace NONE = new Trace(null);

    private final Span span;

    Trace(Span span) {
        this.span = span;
    }

    /** True when this span stands for the trace context: the client's own headers are then replaced by it. */
    public boolean active() {
        return span != null;
    }

    /**
     * Writes this span's context as W3C headers: {@code traceparent} names this span as the parent, and the
     * {@code tracestate} it inherited from the client's context is kept.
     */
    public void inject(BiConsumer<String, String> header) {
        if (span != null) {
            Tracing.PROPAGATOR.inject(Context.root().with(span), header,
                    (carrier, name, value) -> carrier.accept(name, value));
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
