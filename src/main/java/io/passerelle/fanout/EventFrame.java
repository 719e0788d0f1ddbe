package io.passerelle.fanout;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.passerelle.protocol.FrameCodec;
import io.passerelle.protocol.ServerFrame;
import io.passerelle.schema.RecordFormats;
import io.passerelle.tracing.DeliveryTrace;

/**
 * One record's {@code event} frame, its body encoded at most once however many subscriptions receive it (each
 * puts the head that names it before the body).
 */
final class EventFrame {

    /** The record as subscriptions filter it: a schema'd key is its decoded text. */
    private final ConsumerRecord<byte[], byte[]> record;
    private final ServerFrame.SchemaRef keySchema;
    private final RecordConverter converter;
    private final DeliveryTrace trace;
    private byte[] body;
    private int deliveries;

    EventFrame(ConsumerRecord<byte[], byte[]> record, RecordConverter converter) {
        RecordFormats.Decoded key = converter.decodeKey(record);
        this.record = key == null || key.json() == null ? record : RecordConverter.withKey(record, key.json());
        this.keySchema = key == null ? null : new ServerFrame.SchemaRef(key.schemaId(), key.error());
        this.converter = converter;
        this.trace = converter.traceDelivery(record);
    }

    ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    /** True once some subscription took the frame. */
    boolean encoded() {
        return body != null;
    }

    /** The frame's body, asked once by each subscription that queues the frame. */
    byte[] body() {
        if (body == null) {
            body = FrameCodec.eventBody(converter.event(record, keySchema));
        }
        deliveries++;
        return body;
    }

    /** Every subscription was offered the frame: its delivery span, if traced, ends. */
    void offered() {
        trace.end(deliveries);
    }
}
