package io.passerelle.protocol;

/**
 * Every Kafka record header the gateway reads or writes: a public contract with backends. Clients may set none of
 * them: every name with {@link #RESERVED_PREFIX} is the gateway's.
 */
public final class GatewayHeaders {

    /** Header names with this prefix are stamped by the gateway; a client's publish may not carry them. */
    public static final String RESERVED_PREFIX = "passerelle-";

    /** On every record a client publishes: the token's {@code sub}. */
    public static final String USER = "passerelle-user";
    /** On every record a client publishes: the publishing connection's id. */
    public static final String CONNECTION = "passerelle-connection";
    /** On every record a client publishes: the replica that produced it. */
    public static final String INSTANCE = "passerelle-instance";

    /** On an outbox record: deliver to every socket of this user (the token's {@code sub}). */
    public static final String TARGET_USER = "passerelle-target-user";
    /** On an outbox record: deliver to this one connection. */
    public static final String TARGET_CONNECTION = "passerelle-target-connection";
    /** On a record published with {@code "reply": true}: the topic to answer to (the outbox). */
    public static final String REPLY_TO = "passerelle-reply-to";
    /** Pairs a reply with its request; copied by the backend onto its answer. */
    public static final String CORRELATION_ID = "passerelle-correlation-id";
    /** On an outbox record from the management API: an operation on the target connection. */
    public static final String COMMAND = "passerelle-command";
    /** The {@link #COMMAND} that closes the target connection. */
    public static final String DISCONNECT = "disconnect";
    /**
     * On an outbox record between replicas: the replica (by tag) it is for; every other replica skips it. Backends
     * never need it.
     */
    public static final String TARGET_REPLICA = "passerelle-target-replica";
    /** On a question between replicas: the replica (by tag) that waits for the answer. */
    public static final String REPLY_TO_REPLICA = "passerelle-reply-to-replica";

    private GatewayHeaders() {
    }
}
