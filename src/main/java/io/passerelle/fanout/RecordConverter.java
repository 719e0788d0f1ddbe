package io.passerelle.fanout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.passerelle.protocol.ServerFrame;
import io.passerelle.schema.RecordFormats;
import io.passerelle.tracing.DeliveryTrace;
import io.passerelle.tracing.Tracing;

/**
 * The seam between Kafka records and the frames that carry them to sockets. The values and keys of schema'd topics
 * are decoded here ({@link RecordFormats}), once per record however many sockets receive it.
 */
public final class RecordConverter {

    private final RecordFormats formats;
    private final Tracing tracing;

    public RecordConverter(RecordFormats formats, Tracing tracing) {
        this.formats = formats;
        this.tracing = tracing;
    }

    /** The delivery span of a record that carries a W3C trace context, when tracing is on. */
    DeliveryTrace traceDelivery(ConsumerRecord<byte[], byte[]> record) {
        if (!tracing.enabled()) {
            return DeliveryTrace.NONE;
        }
        return tracing.delivery(record.topic(), record.partition(), record.offset(), name -> {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        });
    }

    /**
     * The record's key decoded, on a topic whose keys are schema'd and for a key in the wire format; else null. Runs
     * on a reader's thread: it may wait for the registry the first time a schema id is seen.
     */
    RecordFormats.Decoded decodeKey(ConsumerRecord<byte[], byte[]> record) {
        return formats.decodeKey(record.topic(), record.key());
    }

    /** The record with its key replaced, by a schema'd key's decoded text: what filters compare and sockets read. */
    static ConsumerRecord<byte[], byte[]> withKey(ConsumerRecord<byte[], byte[]> record, byte[] key) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), key, record.value(),
                record.headers(), record.leaderEpoch());
    }

    /**
     * The {@code event} frame of a record (its key as sockets read it, named by {@code keySchema} when schema'd),
     * without the subscription it goes to (see {@link EventFrame}). Runs on a reader's thread: it may wait for the
     * registry the first time a schema id is seen.
     */
    ServerFrame.Event event(ConsumerRecord<byte[], byte[]> record, ServerFrame.SchemaRef keySchema) {
        RecordFormats.Decoded decoded = formats.decode(record.topic(), record.value());
        byte[] value = decoded == null || decoded.json() == null ? record.value() : decoded.json();
        ServerFrame.SchemaRef schema = decoded == null
                ? null
                : new ServerFrame.SchemaRef(decoded.schemaId(), decoded.error());
        return new ServerFrame.Event(null, record.topic(), record.partition(), record.offset(), record.key(),
                headers(record.headers()), record.timestamp(), value, schema, keySchema);
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
