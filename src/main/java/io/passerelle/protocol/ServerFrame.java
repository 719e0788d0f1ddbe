package io.passerelle.protocol;

import java.util.List;
import java.util.Map;

/**
 * A frame the gateway sends. {@link FrameCodec} writes each as the JSON docs/protocol.md gives; {@link #type()} is
 * its {@code type} on the wire.
 */
public sealed interface ServerFrame {

    String type();

    /** A record header as a frame carries it: the name and the value's bytes (null for a header without value). */
    record Header(String name, byte[] value) {
    }

    /** The {@code type} of {@link Ack}. */
    String ACK = "ack";

    /**
     * Kafka has the published record. The publish path writes it in two parts instead ({@link FrameCodec#ackHead}
     * when the record is sent, {@link FrameCodec#ack} in the producer's callback), to the same bytes.
     */
    record Ack(String id, String channel, int partition, long offset) implements ServerFrame {
        @Override
        public String type() {
            return ACK;
        }
    }

    /**
     * A request failed; {@code id} is null when the frame was too broken to read one. {@code available} (empty but
     * for {@code offset_out_of_range}) lists what each partition holds.
     */
    record Error(String id, ErrorCode code, String message, Map<Integer, OffsetOutOfRangeException.Range> available)
            implements
                ServerFrame {
        public Error {
            available = Map.copyOf(available);
        }

        public Error(String id, ErrorCode code, String message) {
            this(id, code, message, Map.of());
        }

        /** The frame a client-visible failure is answered with. */
        public static Error of(ProtocolException failure) {
            return new Error(failure.requestId(), failure.code(), failure.getMessage(),
                    failure instanceof OffsetOutOfRangeException outOfRange ? outOfRange.available() : Map.of());
        }

        @Override
        public String type() {
            return "error";
        }
    }

    /**
     * A subscription ended by the gateway, not by the client: on the wire an {@code error} that names the channel
     * and the subscription, with the {@code id} of the request that ended it (the {@code subscribe}, or a
     * {@code refresh}).
     */
    record SubscriptionEnded(String id, String subscription, String channel, ErrorCode code, String message)
            implements
                ServerFrame {
        @Override
        public String type() {
            return "error";
        }
    }

    /** Sent a while before the token's {@code exp}: answer with {@code refresh} to keep the socket. */
    record TokenExpiring(long expiresAt) implements ServerFrame {
        @Override
        public String type() {
            return "token_expiring";
        }
    }

    record Refreshed(String id, long expiresAt) implements ServerFrame {
        @Override
        public String type() {
            return "refreshed";
        }
    }

    /**
     * The subscription is in place; {@code offsets} gives the next offset of each partition at that moment, so that
     * a client can resume exactly even on partitions it has received nothing from yet.
     */
    record Subscribed(String id, String channel, Map<Integer, Long> offsets, ChannelFilter narrowedTo)
            implements
                ServerFrame {
        public Subscribed {
            offsets = Map.copyOf(offsets);
        }

        @Override
        public String type() {
            return "subscribed";
        }
    }

    record Committed(String id, String channel, int partition, long offset) implements ServerFrame {
        @Override
        public String type() {
            return "committed";
        }
    }

    /** The partitions of the channel that the consumer group gives this socket now; sent after each rebalance. */
    record Assigned(String subscription, String channel, List<Integer> partitions) implements ServerFrame {
        public Assigned {
            partitions = List.copyOf(partitions);
        }

        @Override
        public String type() {
            return "assigned";
        }
    }

    /** The subscriptions an {@code unsubscribe} ended. */
    record Unsubscribed(String id, String channel, List<String> subscriptions) implements ServerFrame {
        public Unsubscribed {
            subscriptions = List.copyOf(subscriptions);
        }

        @Override
        public String type() {
            return "unsubscribed";
        }
    }

    record Pong(String id) implements ServerFrame {
        @Override
        public String type() {
            return "pong";
        }
    }

    /**
     * One record of a subscription, named by the id of its {@code subscribe}. A schema'd key ({@code keySchema} set)
     * is its decoded text, or, when it could not be decoded, the record's bytes.
     */
    record Event(String subscription, String channel, int partition, long offset, byte[] key, List<Header> headers,
            long timestamp, byte[] value, SchemaRef schema, SchemaRef keySchema) implements ServerFrame {

        /** The event of a record whose value and key are not schema'd. */
        public Event(String subscription, String channel, int partition, long offset, byte[] key,
                List<Header> headers, long timestamp, byte[] value) {
            this(subscription, channel, partition, offset, key, headers, timestamp, value, null, null);
        }

        @Override
        public String type() {
            return "event";
        }
    }

    /**
     * The writer schema of a schema'd value or key: its registry id, and the reason it could not be decoded (the
     * value or key is then the record's bytes), or null (the value is then its JSON, the key its text).
     */
    record SchemaRef(int id, String error) {
    }

    /** A record addressed to this socket's user or to this connection. */
    record Message(byte[] key, List<Header> headers, byte[] value) implements ServerFrame {
        @Override
        public String type() {
            return "message";
        }
    }

    /** A backend's answer to the publish with this id. */
    record Reply(String id, List<Header> headers, byte[] value) implements ServerFrame {
        @Override
        public String type() {
            return "reply";
        }
    }
}
