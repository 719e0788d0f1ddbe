package io.passerelle.client;

import java.util.Map;

/** One record of a subscription. */
public final class Event {
    private final String subscription;
    private final String channel;
    private final int partition;
    private final long offset;
    private final String key;
    private final String keyEncoding;
    private final Map<String, String> headers;
    private final long timestamp;
    private final Object data;
    private final String encoding;
    private final SchemaRef schema;
    private final SchemaRef keySchema;

    Event(String subscription, String channel, int partition, long offset, String key, String keyEncoding,
            Map<String, String> headers, long timestamp, Object data, String encoding, SchemaRef schema,
            SchemaRef keySchema) {
        this.subscription = subscription;
        this.channel = channel;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.keyEncoding = keyEncoding;
        this.headers = headers;
        this.timestamp = timestamp;
        this.data = data;
        this.encoding = encoding;
        this.schema = schema;
        this.keySchema = keySchema;
    }

    /** The id of the subscription the event belongs to. */
    public String subscription() {
        return subscription;
    }

    public String channel() {
        return channel;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    /** The record's key, or null; in base64 when {@link #keyEncoding()} is {@code base64}. */
    public String key() {
        return key;
    }

    /** {@code base64} for a key that is not UTF-8 text, else null. */
    public String keyEncoding() {
        return keyEncoding;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The record's Kafka timestamp, in milliseconds since the epoch. */
    public long timestamp() {
        return timestamp;
    }

    /** The record's value as a {@link Json} tree; a string for text or base64 values (see {@link #encoding()}). */
    public Object data() {
        return data;
    }

    /** The record's value as JSON text, for the application's own JSON library. */
    public String dataJson() {
        return Json.text(data);
    }

    /** {@code text} or {@code base64} when the value was not JSON, else null. */
    public String encoding() {
        return encoding;
    }

    /** The schema the value was written with, on a schema'd topic; null for values not in the wire format. */
    public SchemaRef schema() {
        return schema;
    }

    /** The schema the key was written with, on a topic whose keys are schema'd; null otherwise. */
    public SchemaRef keySchema() {
        return keySchema;
    }

    @Override
    public String toString() {
        return "Event[" + subscription + " " + channel + "/" + partition + "@" + offset + " " + key + "]";
    }
}
