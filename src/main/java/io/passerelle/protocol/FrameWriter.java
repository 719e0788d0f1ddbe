package io.passerelle.protocol;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * Writes the gateway's frames as JSON text. Streaming generation keeps it free of reflection and allocation-light,
 * since every delivered record passes through here.
 */
public final class FrameWriter {

    /** Per-thread buffers: frames are written on event loops, readers and the producer's callback thread. */
    private static final JsonFactory JSON = JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool())
            .build();

    private FrameWriter() {
    }

    public static String ack(String id, String channel, int partition, long offset) {
        return write(g -> {
            g.writeStringField("type", "ack");
            g.writeStringField("id", id);
            g.writeStringField("channel", channel);
            g.writeNumberField("partition", partition);
            g.writeNumberField("offset", offset);
        });
    }

    public static String error(String id, ErrorCode code, String message) {
        return write(g -> {
            g.writeStringField("type", "error");
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeStringField("code", code.wire());
            g.writeStringField("message", message);
        });
    }

    /** An error frame; an {@link OffsetOutOfRangeException} also lists what each partition holds. */
    public static String error(ProtocolException failure) {
        if (!(failure instanceof OffsetOutOfRangeException outOfRange)) {
            return error(failure.requestId(), failure.code(), failure.getMessage());
        }
        return write(g -> {
            g.writeStringField("type", "error");
            if (failure.requestId() != null) {
                g.writeStringField("id", failure.requestId());
            }
            g.writeStringField("code", failure.code().wire());
            g.writeStringField("message", failure.getMessage());
            g.writeObjectFieldStart("available");
            for (var entry : new TreeMap<>(outOfRange.available()).entrySet()) {
                g.writeObjectFieldStart(Integer.toString(entry.getKey()));
                g.writeNumberField("first", entry.getValue().first());
                g.writeNumberField("last", entry.getValue().last());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /** Sent a while before the token's {@code exp}: answer with {@code refresh} to keep the socket. */
    public static String tokenExpiring(long expiresAtMillis) {
        return write(g -> {
            g.writeStringField("type", "token_expiring");
            g.writeNumberField("expiresAt", expiresAtMillis);
        });
    }

    public static String refreshed(String id, long expiresAtMillis) {
        return write(g -> {
            g.writeStringField("type", "refreshed");
            g.writeStringField("id", id);
            g.writeNumberField("expiresAt", expiresAtMillis);
        });
    }

    /** A subscription ended by the gateway, such as one no longer granted after a token refresh. */
    public static String subscriptionEnded(String id, String channel, ErrorCode code, String message) {
        return write(g -> {
            g.writeStringField("type", "error");
            g.writeStringField("id", id);
            g.writeStringField("code", code.wire());
            g.writeStringField("channel", channel);
            g.writeStringField("message", message);
        });
    }

    /**
     * The subscription is in place; {@code offsets} gives the next offset of each partition at that moment (written
     * in partition order), so that a client can resume exactly even on partitions it has not received anything from
     * yet.
     */
    public static String subscribed(String id, String channel, Map<Integer, Long> offsets) {
        return write(g -> {
            g.writeStringField("type", "subscribed");
            g.writeStringField("id", id);
            g.writeStringField("channel", channel);
            if (!offsets.isEmpty()) {
                g.writeObjectFieldStart("offsets");
                for (var entry : new TreeMap<>(offsets).entrySet()) {
                    g.writeNumberField(Integer.toString(entry.getKey()), entry.getValue());
                }
                g.writeEndObject();
            }
        });
    }

    public static String committed(String id, String channel, int partition, long offset) {
        return write(g -> {
            g.writeStringField("type", "committed");
            g.writeStringField("id", id);
            g.writeStringField("channel", channel);
            g.writeNumberField("partition", partition);
            g.writeNumberField("offset", offset);
        });
    }

    /** The partitions of the channel that the consumer group gives this socket now; sent after each rebalance. */
    public static String assigned(String channel, java.util.Collection<Integer> partitions) {
        return write(g -> {
            g.writeStringField("type", "assigned");
            g.writeStringField("channel", channel);
            g.writeArrayFieldStart("partitions");
            for (int partition : new java.util.TreeSet<>(partitions)) {
                g.writeNumber(partition);
            }
            g.writeEndArray();
        });
    }

    public static String unsubscribed(String id, String channel) {
        return write(g -> {
            g.writeStringField("type", "unsubscribed");
            g.writeStringField("id", id);
            g.writeStringField("channel", channel);
        });
    }

    public static String pong(String id) {
        return write(g -> {
            g.writeStringField("type", "pong");
            g.writeStringField("id", id);
        });
    }

    /**
     * An {@code event} frame for one record of a subscription. A JSON value is embedded as it is; any other value is
     * delivered as a string with {@code "encoding":"text"} (valid UTF-8) or {@code "encoding":"base64"}.
     * A key that is not UTF-8 is delivered in base64 with {@code "keyEncoding":"base64"}.
     */
    public static String event(ConsumerRecord<byte[], byte[]> record) {
        return write(g -> {
            g.writeStringField("type", "event");
            g.writeStringField("channel", record.topic());
            g.writeNumberField("partition", record.partition());
            g.writeNumberField("offset", record.offset());
            writeKey(g, record.key());
            writeHeaders(g, record);
            g.writeNumberField("timestamp", record.timestamp());
            writeData(g, record.value());
        });
    }

    /** A {@code message} frame: an outbox record addressed to this socket's user or to this connection. */
    public static String message(ConsumerRecord<byte[], byte[]> record) {
        return write(g -> {
            g.writeStringField("type", "message");
            writeKey(g, record.key());
            writeHeaders(g, record);
            writeData(g, record.value());
        });
    }

    /** A {@code reply} frame: a backend's answer to the publish with this id. */
    public static String reply(String id, ConsumerRecord<byte[], byte[]> record) {
        return write(g -> {
            g.writeStringField("type", "reply");
            g.writeStringField("id", id);
            writeHeaders(g, record);
            writeData(g, record.value());
        });
    }

    private static void writeHeaders(JsonGenerator g, ConsumerRecord<byte[], byte[]> record) throws IOException {
        g.writeObjectFieldStart("headers");
        for (Header header : record.headers()) {
            g.writeStringField(header.key(),
                    header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        g.writeEndObject();
    }

    private static void writeKey(JsonGenerator g, byte[] key) throws IOException {
        if (key == null) {
            return;
        }
        String text = decodeUtf8(key);
        if (text != null) {
            g.writeStringField("key", text);
        } else {
            g.writeStringField("key", Base64.getEncoder().encodeToString(key));
            g.writeStringField("keyEncoding", "base64");
        }
    }

    private static void writeData(JsonGenerator g, byte[] value) throws IOException {
        if (value == null) {
            g.writeNullField("data");
            return;
        }
        String text = decodeUtf8(value);
        if (text == null) {
            g.writeStringField("data", Base64.getEncoder().encodeToString(value));
            g.writeStringField("encoding", "base64");
        } else if (isSingleJsonValue(text)) {
            g.writeFieldName("data");
            g.writeRawValue(text);
        } else {
            g.writeStringField("data", text);
            g.writeStringField("encoding", "text");
        }
    }

    static boolean isSingleJsonValue(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator generator) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
