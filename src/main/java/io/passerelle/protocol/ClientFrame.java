package io.passerelle.protocol;

import java.util.Map;

/**
 * A frame sent by a client. Every frame carries the client-chosen {@code id} that the answer names.
 */
public sealed interface ClientFrame {

    String id();

    /** The frame's {@code type} on the wire. */
    String type();

    /**
     * Write {@code data} to the channel's topic; answered by {@code ack} once Kafka has it, and with {@code reply}
     * set, later by the backend's {@code reply}.
     */
    record Publish(String id, String channel, String key, Map<String, String> headers, byte[] value, boolean reply)
            implements
                ClientFrame {
        @Override
        public String type() {
            return "publish";
        }
    }

    /**
     * Receive the channel's records that pass the filter as {@code event} frames, named by this frame's {@code id}
     * (the subscription's id); with a {@code group}, as a member of a Kafka consumer group that shares the
     * channel's partitions.
     */
    record Subscribe(String id, String channel, ChannelFilter filter, StartPosition from, String group)
            implements
                ClientFrame {
        @Override
        public String type() {
            return "subscribe";
        }
    }

    /**
     * Confirms, for a consumer-group subscription (named by its id, or the socket's one group subscription of the
     * channel), that every record up to and including {@code offset} of the
     * partition was processed; the group's committed position becomes {@code offset + 1}.
     */
    record Commit(String id, String channel, String subscription, int partition, long offset) implements ClientFrame {
        @Override
        public String type() {
            return "commit";
        }
    }

    /** Ends one subscription, named by its id, or every subscription of a channel; one of the two is set. */
    record Unsubscribe(String id, String channel, String subscription) implements ClientFrame {
        @Override
        public String type() {
            return "unsubscribe";
        }
    }

    /** A new token for this socket, before the current one expires. */
    record Refresh(String id, String token) implements ClientFrame {
        @Override
        public String type() {
            return "refresh";
        }

        @Override
        public String toString() {
            return "Refresh[id=" + id + "]"; // never the token
        }
    }

    record Ping(String id) implements ClientFrame {
        @Override
        public String type() {
            return "ping";
        }
    }
}
