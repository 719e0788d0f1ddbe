package io.passerelle.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * Writes {@link ServerFrame}s as the JSON text of docs/protocol.md, in UTF-8. Streaming generation keeps it free of
 * reflection and allocation-light, since every delivered record passes through here; fields are written in the
 * documented order.
 */
public final class FrameCodec {

    /** Per-thread buffers: frames are written on event loops, readers and the producer's callback thread. */
    private static final JsonFactory JSON = JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool())
            .build();

    private static final byte[] EVENT_OPENING = "{\"type\":\"event\",".getBytes(StandardCharsets.UTF_8);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] ACK_OPENING = "{\"type\":\"ack\",\"id\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACK_CHANNEL = ",\"channel\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACK_PARTITION = "\",\"partition\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACK_OFFSET = ",\"offset\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUBSCRIPTION_NAME = "\"subscription\":".getBytes(StandardCharsets.UTF_8);

    private FrameCodec() {
    }

    /** The frame's UTF-8 text. */
    public static byte[] encode(ServerFrame frame) {
        if (frame instanceof ServerFrame.Ack ack) {
            return ack(ackHead(ack.id(), ack.channel()), ack.partition(), ack.offset());
        }
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", frame.type());
            writeFields(g, frame);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The part of an {@code ack} known before Kafka answers: the frame's opening, the publish's id and channel, up
     * to the partition's value. Written when the record is sent, usually on the event loop that read the publish
     * while its id and channel are in that core's cache; the producer's thread then adds only the two numbers
     * ({@link #ack}).
     */
    public static byte[] ackHead(String id, String channel) {
        byte[] quotedId = jsonString(id);
        byte[] head = new byte[ACK_OPENING.length + quotedId.length + ACK_CHANNEL.length + channel.length()
                + ACK_PARTITION.length];
        int at = put(head, 0, ACK_OPENING);
        at = put(head, at, quotedId);
        at = put(head, at, ACK_CHANNEL);
        at = putAscii(head, at, channel);
        put(head, at, ACK_PARTITION);
        return head;
    }

    /**
     * The {@code ack} of docs/protocol.md, written by hand: one is written for every acked publish. Its fields are
     * the {@link #ackHead head} (an id, escaped to printable ASCII, and a topic name, which is letters, digits,
     * '.', '_' and '-' only) and two numbers.
     */
    public static byte[] ack(byte[] head, int partition, long offset) {
        String partitionText = Integer.toString(partition);
        String offsetText = Long.toString(offset);
        byte[] out = new byte[head.length + partitionText.length() + ACK_OFFSET.length + offsetText.length() + 1];
        int at = put(out, 0, head);
        at = putAscii(out, at, partitionText);
        at = put(out, at, ACK_OFFSET);
        at = putAscii(out, at, offsetText);
        out[at] = '}';
        return out;
    }

    /**
     * A JSON string literal in ASCII: printable characters as they are, anything else as a {@code \\u} escape,
     * so that any id the client sent, a lone surrogate included, comes back as the same string.
     */
    private static byte[] jsonString(String text) {
        int escapes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                escapes += 5;
            } else if (c == '"' || c == '\\') {
                escapes += 1;
            }
        }
        byte[] quoted = new byte[text.length() + escapes + 2];
        quoted[0] = '"';
        if (escapes == 0) {
            putAscii(quoted, 1, text);
        } else {
            int at = 1;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    quoted[at++] = '\\';
                    quoted[at++] = 'u';
                    for (int shift = 12; shift >= 0; shift -= 4) {
                        quoted[at++] = (byte) HEX[(c >> shift) & 0xf];
                    }
                } else {
                    if (c == '"' || c == '\\') {
                        quoted[at++] = '\\';
                    }
                    quoted[at++] = (byte) c;
                }
            }
        }
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    @SuppressWarnings("deprecation") // the one-byte copy of chars known to be ASCII is what is wanted here
    private static int putAscii(byte[] out, int at, String ascii) {
        ascii.getBytes(0, ascii.length(), out, at);
        return at + ascii.length();
    }

    /**
     * An {@code event} frame in two parts, so that a record is encoded once however many subscriptions receive it:
     * the body (every field after {@code subscription}, written without one) is shared, and each subscription
     * puts its own {@link #eventHead} before it.
     */
    public static byte[] eventBody(ServerFrame.Event event) {
        if (event.subscription() != null) {
            throw new IllegalArgumentException("an event body is written without its subscription");
        }
        byte[] whole = encode(event);
        return Arrays.copyOfRange(whole, EVENT_OPENING.length, whole.length);
    }

    /** What goes before an {@link #eventBody}: the opening of the frame and the subscription's id. */
    public static byte[] eventHead(String subscription) {
        ByteArrayBuilder out = new ByteArrayBuilder(48);
        out.write(EVENT_OPENING);
        out.write(SUBSCRIPTION_NAME);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(subscription);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write(',');
        return out.toByteArray();
    }

    /** The frame as text, for logs and tests. */
    public static String text(ServerFrame frame) {
        return new String(encode(frame), StandardCharsets.UTF_8);
    }

    private static void writeFields(JsonGenerator g, ServerFrame frame) throws IOException {
        // The frame of every delivered record is tested first (acks never get here: encode hands them to ack).
        if (frame instanceof ServerFrame.Event event) {
            if (event.subscription() != null) {
                g.writeStringField("subscription", event.subscription());
            }
            g.writeStringField("channel", event.channel());
            g.writeNumberField("partition", event.partition());
            g.writeNumberField("offset", event.offset());
            if (event.keySchema() != null && event.keySchema().error() != null) {
                // Undecoded wire-format bytes: never to be read as text.
                g.writeStringField("key", Base64.getEncoder().encodeToString(event.key()));
                g.writeStringField("keyEncoding", "base64");
            } else {
                writeKey(g, event.key());
            }
            writeHeaders(g, event.headers());
            g.writeNumberField("timestamp", event.timestamp());
            writeSchema(g, "schema", event.schema());
            writeSchema(g, "keySchema", event.keySchema());
            if (event.schema() == null || event.value() == null) {
                writeData(g, event.value());
            } else if (event.schema().error() != null) {
                // Undecoded wire-format bytes: never to be read as text.
                g.writeStringField("data", Base64.getEncoder().encodeToString(event.value()));
                g.writeStringField("encoding", "base64");
            } else {
                // Decoded with its schema: JSON already (the schema package checked or wrote it), not parsed again.
                g.writeFieldName("data");
                g.writeRawValue(new String(event.value(), StandardCharsets.UTF_8));
            }
        } else if (frame instanceof ServerFrame.Error error) {
            if (error.id() != null) {
                g.writeStringField("id", error.id());
            }
            g.writeStringField("code", error.code().wire());
            g.writeStringField("message", error.message());
            writeAvailable(g, error.available());
        } else if (frame instanceof ServerFrame.SubscriptionEnded ended) {
            g.writeStringField("id", ended.id());
            g.writeStringField("code", ended.code().wire());
            g.writeStringField("subscription", ended.subscription());
            g.writeStringField("channel", ended.channel());
            g.writeStringField("message", ended.message());
        } else if (frame instanceof ServerFrame.TokenExpiring expiring) {
            g.writeNumberField("expiresAt", expiring.expiresAt());
        } else if (frame instanceof ServerFrame.Refreshed refreshed) {
            g.writeStringField("id", refreshed.id());
            g.writeNumberField("expiresAt", refreshed.expiresAt());
        } else if (frame instanceof ServerFrame.Subscribed subscribed) {
            g.writeStringField("id", subscribed.id());
            g.writeStringField("channel", subscribed.channel());
            if (!subscribed.offsets().isEmpty()) {
                g.writeObjectFieldStart("offsets");
                for (var entry : new TreeMap<>(subscribed.offsets()).entrySet()) {
                    g.writeNumberField(Integer.toString(entry.getKey()), entry.getValue());
                }
                g.writeEndObject();
            }
            if (subscribed.narrowedTo() != null) {
                writeFilter(g, "filter", subscribed.narrowedTo());
            }
        } else if (frame instanceof ServerFrame.Committed committed) {
            g.writeStringField("id", committed.id());
            g.writeStringField("channel", committed.channel());
            g.writeNumberField("partition", committed.partition());
            g.writeNumberField("offset", committed.offset());
        } else if (frame instanceof ServerFrame.Assigned assigned) {
            g.writeStringField("subscription", assigned.subscription());
            g.writeStringField("channel", assigned.channel());
            g.writeArrayFieldStart("partitions");
            for (int partition : new TreeSet<>(assigned.partitions())) {
                g.writeNumber(partition);
            }
            g.writeEndArray();
        } else if (frame instanceof ServerFrame.Unsubscribed unsubscribed) {
            g.writeStringField("id", unsubscribed.id());
            g.writeStringField("channel", unsubscribed.channel());
            g.writeArrayFieldStart("subscriptions");
            for (String subscription : unsubscribed.subscriptions()) {
                g.writeString(subscription);
            }
            g.writeEndArray();
        } else if (frame instanceof ServerFrame.Pong pong) {
            g.writeStringField("id", pong.id());
        } else if (frame instanceof ServerFrame.Message message) {
            writeKey(g, message.key());
            writeHeaders(g, message.headers());
            writeData(g, message.value());
        } else if (frame instanceof ServerFrame.Reply reply) {
            g.writeStringField("id", reply.id());
            writeHeaders(g, reply.headers());
            writeData(g, reply.value());
        } else {
            throw new IllegalArgumentException("no wire form for " + frame.type());
        }
    }

    /** A filter as a subscribe writes it: {@code keys}, {@code keyPrefix}, {@code headers}, each when set. */
    private static void writeFilter(JsonGenerator g, String field, ChannelFilter filter) throws IOException {
        g.writeObjectFieldStart(field);
        if (filter.keys() != null) {
            g.writeArrayFieldStart("keys");
            for (String key : new TreeSet<>(filter.keys())) {
                g.writeString(key);
            }
            g.writeEndArray();
        }
        if (filter.keyPrefix() != null) {
            g.writeStringField("keyPrefix", filter.keyPrefix());
        }
        if (!filter.headers().isEmpty()) {
            g.writeObjectFieldStart("headers");
            for (var header : new TreeMap<>(filter.headers()).entrySet()) {
                g.writeStringField(header.getKey(), header.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeAvailable(JsonGenerator g, Map<Integer, OffsetOutOfRangeException.Range> available)
            throws IOException {
        if (available.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("available");
        for (var entry : new TreeMap<>(available).entrySet()) {
            g.writeObjectFieldStart(Integer.toString(entry.getKey()));
            g.writeNumberField("first", entry.getValue().first());
            g.writeNumberField("last", entry.getValue().last());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeHeaders(JsonGenerator g, List<ServerFrame.Header> headers) throws IOException {
        g.writeObjectFieldStart("headers");
        for (ServerFrame.Header header : headers) {
            g.writeStringField(header.name(),
                    header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        g.writeEndObject();
    }

    /** A key that is not UTF-8 goes in base64 with {@code "keyEncoding":"base64"}. */
    private static void writeSchema(JsonGenerator g, String field, ServerFrame.SchemaRef schema) throws IOException {
        if (schema != null) {
            g.writeObjectFieldStart(field);
            g.writeNumberField("id", schema.id());
            if (schema.error() != null) {
                g.writeStringField("error", schema.error());
            }
            g.writeEndObject();
        }
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

    /**
     * A JSON value is embedded as it is; any other value is a string with {@code "encoding":"text"} (valid UTF-8) or
     * {@code "encoding":"base64"}; a null value is {@code null}.
     */
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
}
