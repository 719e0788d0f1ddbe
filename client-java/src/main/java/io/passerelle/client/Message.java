package io.passerelle.client;

import java.util.Map;

/**
 * A record a backend addressed to this user or this connection ({@code message}), or its answer to a publish made
 * with {@code reply(true)} ({@code reply}, whose {@link #id()} is that publish's id).
 */
public final class Message {
    private final String id;
    private final String key;
    private final Map<String, String> headers;
    private final Object data;
    private final String encoding;

    Message(String id, String key, Map<String, String> headers, Object data, String encoding) {
        this.id = id;
        this.key = key;
        this.headers = headers;
        this.data = data;
        this.encoding = encoding;
    }

    /** The publish's id for a reply; null for a message. */
    public String id() {
        return id;
    }

    public String key() {
        return key;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Object data() {
        return data;
    }

    public String dataJson() {
        return Json.text(data);
    }

    /** {@code text} or {@code base64} when the value was not JSON, else null. */
    public String encoding() {
        return encoding;
    }
}
