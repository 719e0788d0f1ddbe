package io.passerelle.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A publish's key, headers, timeout, and whether a backend's reply is awaited. */
public final class PublishOptions {
    private String key;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean reply;
    private Duration timeout;

    private PublishOptions() {
    }

    public static PublishOptions create() {
        return new PublishOptions();
    }

    /** The record key: Kafka places the record by it. */
    public PublishOptions key(String key) {
        this.key = key;
        return this;
    }

    /** A record header (names starting with {@code passerelle-} are the gateway's). */
    public PublishOptions header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Asks for a backend's answer, delivered to {@link PasserelleClient#onReply} with this publish's id. */
    public PublishOptions reply(boolean reply) {
        this.reply = reply;
        return this;
    }

    /** How long to wait for the ack; the client's request timeout when not given. */
    public PublishOptions timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    String key() {
        return key;
    }

    Map<String, String> headers() {
        return headers;
    }

    boolean reply() {
        return reply;
    }

    Duration timeout() {
        return timeout;
    }
}
