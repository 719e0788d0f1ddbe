package io.passerelle.direct;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The text of an outbox record's gateway headers. */
final class OutboxHeaders {

    private OutboxHeaders() {
    }

    /** The UTF-8 text of the record's last header of that name, or null. */
    static String text(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
