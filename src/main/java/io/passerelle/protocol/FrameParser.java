package io.passerelle.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Turns a client text frame into a {@link ClientFrame}, or fails with a {@link ProtocolException} that says what
 * is wrong. Pure and thread-safe.
 */
public final class FrameParser {

    /** Longest number of a frame, in digits. */
    private static final int MAX_NUMBER_DIGITS = 100;
    /** The protocol's field names and frame types, read without a new string per frame. */
    private static final StrictJson.Words WORDS = new StrictJson.Words("type", "id", "channel", "data", "key",
            "headers", "reply", "publish", "subscribe", "unsubscribe", "ping", "commit", "refresh", "token", "from",
            "keys", "keyPrefix", "group", "subscription", "partition", "offset", "latest", "earliest");

    private final ObjectMapper mapper;
    private final ProtocolConfig limits;

    public FrameParser(ObjectMapper mapper, ProtocolConfig limits) {
        // Trees are only built of values the frame's pass has validated, within the frame's limits; the reader's
        // own limits on names and strings are the message size's.
        this.mapper = mapper.copy();
        this.mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxJsonDepth())
                .maxNumberLength(MAX_NUMBER_DIGITS)
                .maxNameLength(Integer.MAX_VALUE)
                .maxStringLength(Integer.MAX_VALUE)
                .build());
        // Frames are parsed on event loops, a few threads that never block: per-thread buffers need no pool.
        this.mapper.getFactory().setRecyclerPool(JsonRecyclerPools.threadLocalPool());
        this.limits = limits;
    }

    public ClientFrame parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a frame's UTF-8 text in one pass (see {@link StrictJson}). String fields are read as strings, other
     * fields become small trees only when asked for, and a publish's {@code data} is validated by the pass and kept
     * as the bytes received, the record's value, instead of being built into a tree and written again.
     */
    public ClientFrame parse(byte[] utf8) {
        Fields root;
        try {
            root = new Fields(StrictJson.read(utf8, limits.maxJsonDepth(), MAX_NUMBER_DIGITS, WORDS), utf8, mapper);
        } catch (StrictJson.Refused refused) {
            if (refused == StrictJson.Refused.LIMIT) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, null,
                        "frame exceeds a JSON limit (nesting deeper than " + limits.maxJsonDepth()
                                + ", or a number of more than " + MAX_NUMBER_DIGITS + " digits)");
            }
            throw new ProtocolException(ErrorCode.BAD_REQUEST, null, refused == StrictJson.Refused.NOT_AN_OBJECT
                    ? "frame must be a JSON object"
                    : "frame is not valid JSON");
        }
        String id = readId(root);
        String type = requiredText(root, "type", id);
        return switch (type) {
            case "publish" -> parsePublish(root, id, root.bytes("data"));
            case "subscribe" -> parseSubscribe(root, id);
            case "unsubscribe" -> parseUnsubscribe(root, id);
            case "commit" -> parseCommit(root, id);
            case "refresh" -> new ClientFrame.Refresh(id, requiredText(root, "token", id));
            case "ping" -> new ClientFrame.Ping(id);
            default -> throw bad(id, "unknown frame type '" + abbreviate(type) + "'");
        };
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
        return keyText(root.text("key"), "key", id);
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
        String id = root.text("id");
        if (id == null || id.isBlank()) {
            throw bad(null, "every frame needs a non-blank string 'id'");
        }
        if (id.length() > limits.maxIdLength()) {
            throw bad(null, "'id' is longer than " + limits.maxIdLength() + " characters");
        }
        return id;
    }

    private static String requiredText(Fields root, String field, String id) {
        String text = root.text(field);
        if (text == null || text.isEmpty()) {
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
     * A frame's top-level fields as read: strings decoded, every other value a span of the text, built into a tree
     * only when asked for. A frame has a handful of fields, so a scan finds one faster than a map would, and a
     * publish builds no tree at all.
     */
    private static final class Fields {

        private final StrictJson json;
        private final byte[] text;
        private final ObjectMapper mapper;

        Fields(StrictJson json, byte[] text, ObjectMapper mapper) {
            this.json = json;
            this.text = text;
            this.mapper = mapper;
        }

        private int index(String name) {
            for (int i = 0; i < json.size(); i++) {
                if (json.name(i).equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /** The field's value when it is a string; null when it is another value or the frame has no such field. */
        String text(String name) {
            int field = index(name);
            return field < 0 ? null : json.string(field);
        }

        /** True when the frame has the field, with a value other than JSON's null. */
        boolean hasNonNull(String name) {
            int field = index(name);
            return field >= 0 && json.kind(field) != 'n';
        }

        /** The field's value as the bytes received; null when the frame has no such field. */
        byte[] bytes(String name) {
            int field = index(name);
            return field < 0 ? null : Arrays.copyOfRange(text, json.start(field), json.end(field));
        }

        /** The field's value as a tree; null when the frame has no such field. */
        JsonNode node(String name) {
            int field = index(name);
            if (field < 0) {
                return null;
            }
            return switch (json.kind(field)) {
                case '"' -> TextNode.valueOf(json.string(field));
                case 't' -> BooleanNode.TRUE;
                case 'f' -> BooleanNode.FALSE;
                case 'n' -> NullNode.getInstance();
                default -> {
                    try {
                        // Rare fields (headers, filters, positions, offsets), already validated by the pass.
                        yield mapper.readTree(text, json.start(field), json.end(field) - json.start(field));
                    } catch (IOException e) {
                        throw new ProtocolException(ErrorCode.BAD_REQUEST, null, "frame is not valid JSON");
                    }
                }
            };
        }
    }
}
