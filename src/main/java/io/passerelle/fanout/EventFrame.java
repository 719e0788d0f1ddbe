package io.passerelle.fanout;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.passerelle.protocol.FrameCodec;
import io.passerelle.tracing.DeliveryTrace;

/**
 * One record's {@code event} frame, its body encoded at most once however many subscriptions receive it (each
 * puts the head that names it before the body).
 */
final class EventFrame {

    private final RecordConverter.Readable readable;
    private final RecordConverter converter;
    private final DeliveryTrace trace;
    private byte[] body;
    private int deliveries;

    EventFrame(ConsumerRecord<byte[], byte[]> record, RecordConverter converter) {
        this.readable = converter.readable(record);
        this.converter = converter;
        this.trace = converter.traceDelivery(record);
    }

    /** The record as subscriptions filter it: a schema'd key is its decoded text. */
    ConsumerRecord<byte[], byte[]> record() {
        return readable.record();
    }

    /** True once some subscription took the frame. */
    boolean encoded() {
        return body != null;
    }

    /** The frame's body, asked once by each subscription that queues the frame. */
    byte[] body() {
        if (body == null) {
            body = FrameCodec.eventBody(converter.event(readable));
        }
        deliveries++;
        return body;
    }

    /** Every subscription was offered the frame: its delivery span, if traced, ends. */
    void offered() {
        trace.end(deliveries);
    }
}
