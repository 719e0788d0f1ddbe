package io.passerelle.testing;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client frame built as an object, as a client library would, and sent as its JSON text. Tests of how the gateway
 * treats malformed text write that text themselves.
 */
public final class Frame {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode node = JSON.createObjectNode();

    private Frame(String type, String id) {
        node.put("type", type);
        node.put("id", id);
    }

    public static Frame publish(String id, String channel, Object data) {
        return new Frame("publish", id).with("channel", channel).with("data", data);
    }

    public static Frame subscribe(String id, String channel) {
        return new Frame("subscribe", id).with("channel", channel);
    }

    public static Frame unsubscribe(String id, String channel) {
        return new Frame("unsubscribe", id).with("channel", channel);
    }

    /** Ends one subscription, named by the id of its subscribe. */
    public static Frame unsubscribeOne(String id, String subscription) {
        return new Frame("unsubscribe", id).with("subscription", subscription);
    }

    public static Frame commit(String id, String channel, int partition, long offset) {
        return new Frame("commit", id).with("channel", channel).with("partition", partition).with("offset", offset);
    }

    public static Frame refresh(String id, String token) {
        return new Frame("refresh", id).with("token", token);
    }

    public static Frame ping(String id) {
        return new Frame("ping", id);
    }

    /** Sets a field to the JSON form of the value (a string, number, boolean, map, list or null). */
    public Frame with(String field, Object value) {
        node.set(field, JSON.valueToTree(value));
        return this;
    }

    /** Sets a field to the given JSON text, parsed. */
    public Frame withJson(String field, String json) {
        try {
            JsonNode value = JSON.readTree(json);
            node.set(field, value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
        return this;
    }

    /** A subscription's start at the given offset per partition. */
    public Frame fromOffsets(Map<Integer, Long> offsets) {
        return with("from", Map.of("offsets", offsets));
    }

    public String id() {
        return node.get("id").asText();
    }

    /** The frame's JSON text. */
    @Override
    public String toString() {
        return node.toString();
    }
}
