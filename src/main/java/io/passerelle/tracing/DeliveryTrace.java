package io.passerelle.tracing;

import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.trace.SpanBuilder;

/**
 * The delivery of one traced record, or {@link #NONE}: its span is recorded when it ends, and only if the record
 * reached a socket of this replica.
 */
public final class DeliveryTrace {

    public static final DeliveryTrace NONE = new DeliveryTrace(null, 0);

    private final SpanBuilder span;
    private final long startEpochNanos;

    DeliveryTrace(SpanBuilder span, long startEpochNanos) {
        this.span = span;
        this.startEpochNanos = startEpochNanos;
    }

    /** The record's frame is queued for {@code deliveries} subscriptions of this replica's sockets. */
    public void end(int deliveries) {
        if (span != null && deliveries > 0) {
            span.setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
                    .setAttribute("passerelle.deliveries", deliveries)
                    .startSpan()
                    .end();
        }
    }
}
