package io.passerelle.fanout;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.passerelle.protocol.ServerFrame;

/** The seam between Kafka records and the frames that carry them to sockets. */
public final class RecordConverter {

    private RecordConverter() {
    }

    /** The {@code event} frame of a record, without the subscription it goes to (see {@link EventFrame}). */
    public static ServerFrame.Event event(ConsumerRecord<byte[], byte[]> record) {
        return new ServerFrame.Event(null, record.topic(), record.partition(), record.offset(), record.key(),
                headers(record.headers()), record.timestamp(), record.value());
    }

    /** The {@code message} frame of an outbox record. */
    public static ServerFrame.Message message(ConsumerRecord<byte[], byte[]> record) {
        return new ServerFrame.Message(record.key(), headers(record.headers()), record.value());
    }

    /** The {@code reply} frame of an outbox record that answers the publish {@code requestId}. */
    public static ServerFrame.Reply reply(String requestId, ConsumerRecord<byte[], byte[]> record) {
        return new ServerFrame.Reply(requestId, headers(record.headers()), record.value());
    }

    private static List<ServerFrame.Header> headers(Headers headers) {
        List<ServerFrame.Header> frameHeaders = new ArrayList<>();
        for (Header header : headers) {
            frameHeaders.add(new ServerFrame.Header(header.key(), header.value()));
        }
        return frameHeaders;
    }
}
