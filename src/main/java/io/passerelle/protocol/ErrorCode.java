package io.passerelle.protocol;

/**
 * Stable error codes of the wire protocol. Clients branch on {@link #wire()}; never rename one.
 */
public enum ErrorCode {
    /** Malformed, unknown or invalid frame. */
    BAD_REQUEST("bad_request"),
    /** The token does not grant this operation on this channel. */
    FORBIDDEN("forbidden"),
    /** The channel (Kafka topic) does not exist. */
    UNKNOWN_CHANNEL("unknown_channel"),
    /** The socket already has a subscription to this channel. */
    ALREADY_SUBSCRIBED("already_subscribed"),
    /** The socket has no subscription to this channel. */
    NOT_SUBSCRIBED("not_subscribed"),
    /** Requested start offsets are outside what the partition holds. */
    OFFSET_OUT_OF_RANGE("offset_out_of_range"),
    /** A commit names a partition that the consumer group has not assigned to this socket. */
    NOT_ASSIGNED("not_assigned"),
    /** The connection publishes faster than its rate allows; slow down. */
    RATE_LIMITED("rate_limited"),
    /** A token given in {@code refresh} is invalid, expired, or for another subject. */
    INVALID_TOKEN("invalid_token"),
    /** A per-connection limit was reached (subscriptions, rate). */
    LIMIT_EXCEEDED("limit_exceeded"),
    /** The record is larger than Kafka accepts. */
    TOO_LARGE("too_large"),
    /** Kafka could not take the write or the read in time; retrying later may succeed. */
    UNAVAILABLE("unavailable"),
    /** The data of a publish to a schema'd topic does not fit the topic's schema; the message names the field. */
    SCHEMA_MISMATCH("schema_mismatch"),
    /** Unexpected failure inside the gateway. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
