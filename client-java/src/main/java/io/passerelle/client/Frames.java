package io.passerelle.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one seam between the wire protocol (docs/protocol.md) and this client's types. */
final class Frames {

    private Frames() {
    }

    static Map<String, Object> publish(String id, String channel, Object data, PublishOptions options) {
        Map<String, Object> frame = request("publish", id);
        frame.put("channel", channel);
        if (options.key() != null) {
            frame.put("key", options.key());
        }
        if (!options.headers().isEmpty()) {
            frame.put("headers", options.headers());
        }
        if (options.reply()) {
            frame.put("reply", true);
        }
        frame.put("data", data);
        return frame;
    }

    static Map<String, Object> subscribe(String id, String channel, Map<String, Object> filter, Object from,
            String group) {
        Map<String, Object> frame = request("subscribe", id);
        frame.put("channel", channel);
        frame.putAll(filter);
        if (group != null) {
            frame.put("group", group);
        }
        frame.put("from",
                from instanceof Map ? Collections.singletonMap("offsets", offsetsOut((Map<?, ?>) from)) : from);
        return frame;
    }

    static Map<String, Object> unsubscribe(String id, String field, String value) {
        Map<String, Object> frame = request("unsubscribe", id);
        frame.put(field, value);
        return frame;
    }

    static Map<String, Object> commit(String id, String channel, int partition, long offset, String subscription) {
        Map<String, Object> frame = request("commit", id);
        frame.put("channel", channel);
        frame.put("partition", partition);
        frame.put("offset", offset);
        if (subscription != null) {
            frame.put("subscription", subscription);
        }
        return frame;
    }

    static Map<String, Object> refresh(String id, String token) {
        Map<String, Object> frame = request("refresh", id);
        frame.put("token", token);
        return frame;
    }

    static Map<String, Object> ping(String id) {
        return request("ping", id);
    }

    private static Map<String, Object> request(String type, String id) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", type);
        frame.put("id", id);
        return frame;
    }

    private static Map<String, Long> offsetsOut(Map<?, ?> offsets) {
        Map<String, Long> out = new LinkedHashMap<>();
        offsets.forEach((partition, offset) -> out.put(partition.toString(), ((Number) offset).longValue()));
        return out;
    }

    // --- gateway frames ------------------------------------------------------------------------------------

    static String type(Map<String, Object> frame) {
        return string(frame, "type");
    }

    static String string(Map<String, Object> frame, String field) {
        Object value = frame.get(field);
        return value instanceof String ? (String) value : null;
    }

    static long number(Map<String, Object> frame, String field) {
        Object value = frame.get(field);
        return value instanceof Number ? ((Number) value).longValue() : -1;
    }

    static Event event(Map<String, Object> frame) {
        return new Event(string(frame, "subscription"), string(frame, "channel"), (int) number(frame, "partition"),
                number(frame, "offset"), string(frame, "key"), string(frame, "keyEncoding"), headers(frame),
                number(frame, "timestamp"), frame.get("data"), string(frame, "encoding"), schemaRef(frame, "schema"),
                schemaRef(frame, "keySchema"));
    }

    /** {@code {"id":42}} or {@code {"id":42,"error":"unknown_schema"}}, or null when the frame has none. */
    private static SchemaRef schemaRef(Map<String, Object> frame, String field) {
        Object value = frame.get(field);
        if (!(value instanceof Map)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> schema = (Map<String, Object>) value;
        return new SchemaRef((int) number(schema, "id"), string(schema, "error"));
    }

    static Ack ack(Map<String, Object> frame) {
        return new Ack(string(frame, "id"), string(frame, "channel"), (int) number(frame, "partition"),
                number(frame, "offset"));
    }

    static Message message(Map<String, Object> frame) {
        return new Message(string(frame, "id"), string(frame, "key"), headers(frame), frame.get("data"),
                string(frame, "encoding"));
    }

    static Assignment assignment(Map<String, Object> frame) {
        List<Integer> partitions = new ArrayList<>();
        Object listed = frame.get("partitions");
        if (listed instanceof List) {
            for (Object partition : (List<?>) listed) {
                partitions.add(((Number) partition).intValue());
            }
        }
        return new Assignment(string(frame, "subscription"), string(frame, "channel"),
                Collections.unmodifiableList(partitions));
    }

    static PasserelleException error(Map<String, Object> frame) {
        String code = string(frame, "code");
        return new PasserelleException(code == null ? "internal" : code, string(frame, "message"),
                Collections.unmodifiableMap(frame));
    }

    /** {@code subscribed.offsets}: partition to the offset it starts from. */
    static Map<Integer, Long> offsetsIn(Map<String, Object> frame) {
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        Object listed = frame.get("offsets");
        if (listed instanceof Map) {
            ((Map<?, ?>) listed).forEach((partition, offset) -> offsets.put(Integer.valueOf((String) partition),
                    ((Number) offset).longValue()));
        }
        return offsets;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> filter(Map<String, Object> frame) {
        Object filter = frame.get("filter");
        return filter instanceof Map ? Collections.unmodifiableMap((Map<String, Object>) filter) : null;
    }

    private static Map<String, String> headers(Map<String, Object> frame) {
        Object listed = frame.get("headers");
        if (!(listed instanceof Map)) {
            return Collections.emptyMap();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        ((Map<?, ?>) listed).forEach((name, value) -> headers.put((String) name, (String) value));
        return Collections.unmodifiableMap(headers);
    }
}
