package io.passerelle.protocol;

import java.util.Map;

/**
 * A frame sent by a client. Every frame carries the client-chosen {@code id} that the answer names.
 */
public sealed interface ClientFrame {

    String id();

    /**
     * Write {@code data} to the channel's topic; answered by {@code ack} once Kafka has it, and with {@code reply}
     * set, later by the backend's {@code reply}.
     */
    record Publish(String id, String channel, String key, Map<String, String> headers, byte[] value, boolean reply)
            implements
                ClientFrame {
    }

    /** Receive the channel's records as {@code event} frames, optionally only those with one key. */
    record Subscribe(String id, String channel, String key, StartPosition from) implements ClientFrame {
    }

    record Unsubscribe(String id, String channel) implements ClientFrame {
    }

    record Ping(String id) implements ClientFrame {
    }
}
