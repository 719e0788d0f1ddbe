package io.passerelle.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to subscribe: the subscription's id, a filter (key, keys, key prefix, headers: ANDed), where to start, a
 * consumer group. {@code SubscribeOptions.create().key("EURUSD").fromEarliest()}.
 */
public final class SubscribeOptions {
    private String id;
    private final Map<String, Object> filter = new LinkedHashMap<>();
    private Object from = "latest";
    private String group;

    private SubscribeOptions() {
    }

    public static SubscribeOptions create() {
        return new SubscribeOptions();
    }

    /** Names the subscription (events carry it); generated when not given. */
    public SubscribeOptions id(String id) {
        this.id = id;
        return this;
    }

    /** Only records with exactly this key. */
    public SubscribeOptions key(String key) {
        filter.put("key", key);
        return this;
    }

    /** Only records whose key is one of these. */
    public SubscribeOptions keys(List<String> keys) {
        filter.put("keys", Collections.unmodifiableList(new ArrayList<>(keys)));
        return this;
    }

    /** Only records whose key starts with this text. */
    public SubscribeOptions keyPrefix(String prefix) {
        filter.put("keyPrefix", prefix);
        return this;
    }

    /** Only records carrying each of these headers with exactly this value. */
    public SubscribeOptions headers(Map<String, String> headers) {
        filter.put("headers", Collections.unmodifiableMap(new LinkedHashMap<>(headers)));
        return this;
    }

    /** What is appended from now on (the default). */
    public SubscribeOptions fromLatest() {
        from = "latest";
        return this;
    }

    /** Everything the topic still holds, then on. */
    public SubscribeOptions fromEarliest() {
        from = "earliest";
        return this;
    }

    /** From these offsets (partition to the next offset to read); other partitions from the latest. */
    public SubscribeOptions fromOffsets(Map<Integer, Long> offsets) {
        from = new TreeMap<>(offsets);
        return this;
    }

    /** Joins the Kafka consumer group {@code passerelle-ws-<group>}; commit with {@link PasserelleClient#commit}. */
    public SubscribeOptions group(String group) {
        this.group = group;
        return this;
    }

    String id() {
        return id;
    }

    Map<String, Object> filter() {
        return filter;
    }

    Object from() {
        return from;
    }

    String group() {
        return group;
    }
}
