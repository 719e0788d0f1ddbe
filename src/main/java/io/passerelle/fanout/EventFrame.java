package io.passerelle.fanout;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.passerelle.protocol.FrameWriter;

/**
 * One record's {@code event} frame, written at most once however many subscribers receive it.
 */
final class EventFrame {

    private final ConsumerRecord<byte[], byte[]> record;
    private String text;

    EventFrame(ConsumerRecord<byte[], byte[]> record) {
        this.record = record;
    }

    ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    String text() {
        if (text == null) {
            text = FrameWriter.event(record);
        }
        return text;
    }
}
