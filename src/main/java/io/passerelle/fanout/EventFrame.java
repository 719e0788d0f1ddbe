package io.passerelle.fanout;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.passerelle.protocol.FrameCodec;

/**
 * One record's {@code event} frame, encoded at most once however many subscribers receive it.
 */
final class EventFrame {

    private final ConsumerRecord<byte[], byte[]> record;
    private byte[] utf8;

    EventFrame(ConsumerRecord<byte[], byte[]> record) {
        this.record = record;
    }

    ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    byte[] utf8() {
        if (utf8 == null) {
            utf8 = FrameCodec.encode(RecordConverter.event(record));
        }
        return utf8;
    }
}
