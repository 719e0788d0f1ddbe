package io.passerelle.fanout;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.passerelle.protocol.FrameCodec;

/**
 * One record's {@code event} frame, its body encoded at most once however many subscriptions receive it (each
 * puts the head that names it before the body).
 */
final class EventFrame {

    private final ConsumerRecord<byte[], byte[]> record;
    private final RecordConverter converter;
    private byte[] body;

    EventFrame(ConsumerRecord<byte[], byte[]> record, RecordConverter converter) {
        this.record = record;
        this.converter = converter;
    }

    ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    /** True once some subscription took the frame. */
    boolean encoded() {
        return body != null;
    }

    byte[] body() {
        if (body == null) {
            body = FrameCodec.eventBody(converter.event(record));
        }
        return body;
    }
}
