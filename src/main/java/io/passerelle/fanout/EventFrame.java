package io.passerelle.fanout;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.passerelle.protocol.FrameWriter;

/**
 * One record's {@code event} frame, written at most once however many subscribers receive it.
 */
final class EventFrame {

    private final ConsumerRecord<byte[], byte[]> record;
    private String text;
    private byte[] utf8;

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

    byte[] utf8() {
        if (utf8 == null) {
            utf8 = text().getBytes(StandardCharsets.UTF_8);
        }
        return utf8;
    }
}
