package io.passerelle.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Turns a client text frame into a {@link ClientFrame}, or fails with a {@link ProtocolException} that says what
 * is wrong. Pure and thread-safe.
 */
public final class FrameParser {

    private final ObjectMapper mapper;
    private final ProtocolConfig limits;

    public FrameParser(ObjectMapper mapper, ProtocolConfig limits) {
        // Strict: duplicate keys are refused (and trailing content, below), so that no two readers of a frame
        // disagree on it.
        this.mapper = mapper.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxJsonDepth())
                .maxNumberLength(100)
                .build());
        // Frames are parsed on event loops, a few threads that never block: per-thread buffers need no pool.
        this.mapper.getFactory().setRecyclerPool(JsonRecyclerPools.threadLocalPool());
        this.limits = limits;
    }

    public ClientFrame parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a frame's UTF-8 text in one streaming pass. String fields are kept as strings and other fields but
     * {@code data} become small trees; a publish's {@code data} is validated by the pass and kept as the bytes
     * received, the record's value, instead of being built into a tree and written again.
     */
    public ClientFrame parse(byte[] utf8) {
        if (utf8.length >= 3 && utf8[0] == (byte) 0xEF && utf8[1] == (byte) 0xBB && utf8[2] == (byte) 0xBF) {
            // JSON text has no byte order mark (RFC 8259), and Jackson's byte parser would skip one quietly.
            throw new ProtocolException(ErrorCode.BAD_REQUEST, null, "frame is not valid JSON");
        }
        Fields root = new Fields();
        int dataStart = -1;
        int dataEnd = -1;
        try (JsonParser parser = mapper.getFactory().createParser(utf8)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren();
                requireEnd(parser);
                throw new ProtocolException(ErrorCode.BAD_REQUEST, null, "frame must be a JSON object");
            }
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken value = parser.nextToken();
                if (name.equals("data")) {
                    dataStart = (int) parser.currentTokenLocation().getByteOffset();
                    if (value.isStructStart()) {
                        parser.skipChildren();
                    } else {
                        parser.finishToken();
                    }
                    dataEnd = (int) parser.currentLocation().getByteOffset();
                } else {
                    root.put(name, value == JsonToken.VALUE_STRING ? parser.getText() : node(parser, value));
                }
            }
            requireEnd(parser);
        } catch (StreamConstraintsException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, null,
                    "frame exceeds a JSON limit (nesting deeper than " + limits.maxJsonDepth()
                            + ", or an oversized number or string)");
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, null, "frame is not valid JSON");
        }
        String id = readId(root);
        String type = requiredText(root, "type", id);
        return switch (type) {
            case "publish" -> parsePublish(root, id, dataStart < 0
                    ? null
                    : Arrays.copyOfRange(utf8, dataStart,
                            dataEnd));
            case "subscribe" -> parseSubscribe(root, id);
            case "unsubscribe" -> parseUnsubscribe(root, id);
            case "commit" -> parseCommit(root, id);
            case "refresh" -> new ClientFrame.Refresh(id, requiredText(root, "token", id));
            case "ping" -> new ClientFrame.Ping(id);
            default -> throw bad(id, "unknown frame type '" + abbreviate(type) + "'");
        };
    }

    /** The value at the parser's current token as a tree; scalars without the cost of a deserialisation. */
    private JsonNode node(JsonParser parser, JsonToken value) throws IOException {
        JsonNodeFactory nodes = mapper.getNodeFactory();
        return switch (value) {
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDoubleValue());
            default -> mapper.readTree(parser);
        };
    }

    /** Nothing may follow the frame's value but whitespace. */
    private static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "trailing content");
        }
    }

    private ClientFrame.Publish parsePublish(Fields root, String id, byte[] value) {
        String channel = channel(root, id);
        String key = optionalKey(root, id);
        Map<String, String> headers = headers(root, id, false);
        if (value == null) {
            throw bad(id, "publish needs 'data'");
        }
        if (value.length > limits.maxDataBytes()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, id,
                    "'data' is larger than " + limits.maxDataBytes() + " bytes");
        }
        JsonNode reply = root.node("reply");
        if (reply != null && !reply.isBoolean() && !reply.isNull()) {
            throw bad(id, "'reply' must be true or false");
        }
        return new ClientFrame.Publish(id, channel, key, headers, value, reply != null && reply.asBoolean());
    }

    private ClientFrame.Subscribe parseSubscribe(Fields root, String id) {
        String group = optionalGroup(root, id);
        StartPosition from = startPosition(root, id);
        if (group != null && from instanceof StartPosition.Offsets) {
            throw bad(id, "a group subscription starts from its committed offsets: 'from' may only be "
                    + "\"earliest\" or \"latest\" (for a group without commits)");
        }
        return new ClientFrame.Subscribe(id, channel(root, id), filter(root, id), from, group);
    }

    /** The ANDed conditions of a subscribe: {@code key}, {@code keys}, {@code keyPrefix}, {@code headers}. */
    private ChannelFilter filter(Fields root, String id) {
        String key = optionalKey(root, id);
        Set<String> keys = null;
        JsonNode keyList = root.node("keys");
        if (keyList != null && !keyList.isNull()) {
            if (key != null) {
                throw bad(id, "use 'key' or 'keys', not both");
            }
            if (!keyList.isArray() || keyList.isEmpty() || keyList.size() > limits.maxFilterKeys()) {
                throw bad(id, "'keys' must be an array of 1 to " + limits.maxFilterKeys() + " strings");
            }
            keys = new HashSet<>();
            for (JsonNode each : keyList) {
                keys.add(keyText(each.textValue(), "keys", id));
            }
        } else if (key != null) {
            keys = Set.of(key);
        }
        String prefix = null;
        JsonNode keyPrefix = root.node("keyPrefix");
        if (keyPrefix != null && !keyPrefix.isNull()) {
            prefix = keyText(keyPrefix.textValue(), "keyPrefix", id);
            if (prefix.isEmpty()) {
                throw bad(id, "'keyPrefix' must not be empty");
            }
        }
        Map<String, String> headers = headers(root, id, true);
        if (keys != null && prefix != null) {
            String start = prefix;
            if (keys.stream().noneMatch(each -> each.startsWith(start))) {
                throw bad(id, "no key of 'keys' starts with 'keyPrefix': the filter matches nothing");
            }
        }
        return new ChannelFilter(keys, prefix, headers);
    }

    private ClientFrame.Unsubscribe parseUnsubscribe(Fields root, String id) {
        JsonNode subscription = root.node("subscription");
        if (subscription != null && !subscription.isNull()) {
            if (root.hasNonNull("channel")) {
                throw bad(id, "unsubscribe takes a 'subscription' or a 'channel', not both");
            }
            return new ClientFrame.Unsubscribe(id, null, subscriptionId(subscription, id));
        }
        return new ClientFrame.Unsubscribe(id, channel(root, id), null);
    }

    private String subscriptionId(JsonNode subscription, String id) {
        if (!subscription.isTextual() || subscription.textValue().isBlank()
                || subscription.textValue().length() > limits.maxIdLength()) {
            throw bad(id, "'subscription' must be the id of a subscribe");
        }
        return subscription.textValue();
    }

    private String optionalGroup(Fields root, String id) {
        JsonNode group = root.node("group");
        if (group == null || group.isNull()) {
            return null;
        }
        if (!group.isTextual() || !isName(group.textValue(), 100)) {
            throw bad(id, "'group' must be 1 to 100 of [a-zA-Z0-9._-]");
        }
        return group.textValue();
    }

    private ClientFrame.Commit parseCommit(Fields root, String id) {
        String channel = channel(root, id);
        JsonNode partition = root.node("partition");
        JsonNode offset = root.node("offset");
        if (partition == null || !partition.canConvertToInt() || !partition.isIntegralNumber()
                || partition.intValue() < 0) {
            throw bad(id, "'partition' must be a non-negative integer");
        }
        if (offset == null || !offset.isIntegralNumber() || !offset.canConvertToLong() || offset.longValue() < 0) {
            throw bad(id, "'offset' must be a non-negative integer");
        }
        JsonNode subscription = root.node("subscription");
        String named = subscription == null || subscription.isNull() ? null : subscriptionId(subscription, id);
        return new ClientFrame.Commit(id, channel, named, partition.intValue(), offset.longValue());
    }

    private StartPosition startPosition(Fields root, String id) {
        JsonNode from = root.node("from");
        if (from == null || from.isNull()) {
            return StartPosition.LATEST;
        }
        if (from.isTextual()) {
            return switch (from.textValue()) {
                case "latest" -> StartPosition.LATEST;
                case "earliest" -> StartPosition.EARLIEST;
                default -> throw bad(id, "'from' must be \"latest\", \"earliest\" or {\"offsets\":{...}}");
            };
        }
        JsonNode offsets = from.isObject() ? from.get("offsets") : null;
        if (offsets == null || !offsets.isObject() || from.size() != 1) {
            throw bad(id, "'from' must be \"latest\", \"earliest\" or {\"offsets\":{...}}");
        }
        Map<Integer, Long> positions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = offsets.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            int partition;
            try {
                partition = Integer.parseInt(entry.getKey());
            } catch (NumberFormatException e) {
                throw bad(id, "offsets are keyed by partition number");
            }
            JsonNode offset = entry.getValue();
            if (partition < 0 || !offset.isIntegralNumber() || !offset.canConvertToLong() || offset.longValue() < 0) {
                throw bad(id, "offsets must map partition numbers to non-negative integers");
            }
            positions.put(partition, offset.longValue());
        }
        return new StartPosition.Offsets(positions);
    }

    private String channel(Fields root, String id) {
        String channel = requiredText(root, "channel", id);
        if (!isName(channel, 249) || channel.equals(".") || channel.equals("..")) {
            throw bad(id, "'channel' must be a Kafka topic name: 1 to 249 of [a-zA-Z0-9._-]");
        }
        return channel;
    }

    private String optionalKey(Fields root, String id) {
        if (!root.hasNonNull("key")) {
            return null;
        }
        return keyText(root.value("key") instanceof String text ? text : null, "key", id);
    }

    /** A key of a publish or a filter; {@code key} is null when the JSON value was not a string. */
    private String keyText(String key, String field, String id) {
        if (key == null) {
            throw bad(id, "'" + field + "' must hold strings");
        }
        if (utf8Length(key) > limits.maxKeyBytes()) {
            throw bad(id, "a key in '" + field + "' is longer than " + limits.maxKeyBytes() + " bytes");
        }
        return key;
    }

    /** A publish's headers to write, or a subscribe's to match (which may name the gateway's own headers). */
    private Map<String, String> headers(Fields root, String id, boolean toMatch) {
        JsonNode headers = root.node("headers");
        if (headers == null || headers.isNull()) {
            return Map.of();
        }
        if (!headers.isObject()) {
            throw bad(id, "'headers' must be an object of strings");
        }
        if (headers.size() > limits.maxHeaders()) {
            throw bad(id, "at most " + limits.maxHeaders() + " headers are allowed");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (name.isEmpty() || name.length() > limits.maxHeaderNameLength()) {
                throw bad(id, "header names must be 1 to " + limits.maxHeaderNameLength() + " characters");
            }
            if (!toMatch && name.regionMatches(true, 0, GatewayHeaders.RESERVED_PREFIX, 0,
                    GatewayHeaders.RESERVED_PREFIX.length())) {
                throw bad(id, "headers starting with '" + GatewayHeaders.RESERVED_PREFIX + "' are set by the gateway");
            }
            if (!entry.getValue().isTextual()) {
                throw bad(id, "header values must be strings");
            }
            String value = entry.getValue().textValue();
            if (utf8Length(value) > limits.maxHeaderValueBytes()) {
                throw bad(id, "header values must be at most " + limits.maxHeaderValueBytes() + " bytes");
            }
            result.put(name, value);
        }
        return result;
    }

    private String readId(Fields root) {
        if (!(root.value("id") instanceof String id) || id.isBlank()) {
            throw bad(null, "every frame needs a non-blank string 'id'");
        }
        if (id.length() > limits.maxIdLength()) {
            throw bad(null, "'id' is longer than " + limits.maxIdLength() + " characters");
        }
        return id;
    }

    private static String requiredText(Fields root, String field, String id) {
        if (!(root.value(field) instanceof String text) || text.isEmpty()) {
            throw bad(id, "'" + field + "' must be a non-empty string");
        }
        return text;
    }

    /** 1 to {@code maxLength} of [a-zA-Z0-9._-]: a Kafka topic name or a group name. Checked on every frame. */
    private static boolean isName(String text, int maxLength) {
        if (text.isEmpty() || text.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "…";
    }

    private static ProtocolException bad(String id, String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, id, message);
    }

    /**
     * A frame's top-level fields as read: strings as they are, every other value as a tree. A frame has a handful,
     * so a scan of two arrays finds one faster than a map would, and a publish builds no tree at all. Duplicate
     * names never get here: the parser refuses them.
     */
    private static final class Fields {

        private String[] names = new String[8];
        private Object[] values = new Object[8];
        private int size;

        void put(String name, Object value) {
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            names[size] = name;
            values[size++] = value;
        }

        /** The field's value, a {@link String} or a {@link JsonNode}; null when the frame has no such field. */
        Object value(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return values[i];
                }
            }
            return null;
        }

        /** True when the frame has the field, with a value other than JSON's null. */
        boolean hasNonNull(String name) {
            Object value = value(name);
            return value != null && !(value instanceof JsonNode node && node.isNull());
        }

        /** The field's value as a tree; null when the frame has no such field. */
        JsonNode node(String name) {
            Object value = value(name);
            return value instanceof String text ? TextNode.valueOf(text) : (JsonNode) value;
        }
    }
}
