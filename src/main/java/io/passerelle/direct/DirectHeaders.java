package io.passerelle.direct;

/**
 * Header names of direct delivery and request/reply: a public contract with backends.
 */
public final class DirectHeaders {

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

    private DirectHeaders() {
    }
}
