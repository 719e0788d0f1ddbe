package io.passerelle.protocol;

/**
 * Every close the gateway sends, with what a client should do about it. Clients branch on {@link #code()} (and
 * {@link #reason()} where codes are shared); never renumber one. docs/protocol.md mirrors this list.
 */
public enum CloseCode {
    /** The replica is shutting down. */
    GOING_AWAY(1001, "going away", Reconnect.AT_ONCE),
    /** Nothing arrived, not even a pong, for {@code passerelle.limits.idle-timeout}. */
    IDLE(1001, "idle timeout", Reconnect.WHEN_NEEDED),
    /** The connection is older than {@code passerelle.limits.max-lifetime}. */
    LIFETIME(1001, "max lifetime reached", Reconnect.AT_ONCE),
    /** A frame that breaks RFC 6455 framing (reserved opcode, fragmented control frame, unmasked). */
    PROTOCOL_ERROR(1002, "protocol error", Reconnect.NO),
    /** A text message that is not valid UTF-8. */
    INVALID_UTF8(1007, "invalid utf-8", Reconnect.NO),
    /** The socket stopped reading and its outbound queue went over its bound. */
    SLOW_CONSUMER(1008, "slow consumer", Reconnect.AFTER_BACKOFF),
    /** A message over the message size, or a single frame over the frame size; it is not to be sent again. */
    TOO_BIG(1009, "message too big", Reconnect.AFTER_BACKOFF),
    /** An unexpected failure of the gateway. */
    INTERNAL(1011, "internal error", Reconnect.AFTER_BACKOFF),
    /** Closed through the management API; an operator who wants a client kept out withdraws its grants. */
    CLOSED_BY_OPERATOR(4000, "closed by operator", Reconnect.AFTER_BACKOFF),
    /** The token expired without a valid {@code refresh}. */
    TOKEN_EXPIRED(4401, "token expired", Reconnect.WITH_NEW_TOKEN),
    /** Publishing went on beyond the rate limit. */
    RATE_LIMIT_ABUSE(4429, "rate limit exceeded", Reconnect.AFTER_BACKOFF);

    /** What a client should do after the close. */
    public enum Reconnect {
        /** Reconnect now (another replica takes it) and resume from the offsets seen. */
        AT_ONCE,
        /** Reconnect with exponential backoff and jitter, then resume. */
        AFTER_BACKOFF,
        /** Reconnect only with a fresh token. */
        WITH_NEW_TOKEN,
        /** Reconnect when there is something to do. */
        WHEN_NEEDED,
        /** Do not reconnect as is: the client's own framing caused it. */
        NO
    }

    private final int code;
    private final String reason;
    private final Reconnect reconnect;

    CloseCode(int code, String reason, Reconnect reconnect) {
        this.code = code;
        this.reason = reason;
        this.reconnect = reconnect;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public Reconnect reconnect() {
        return reconnect;
    }
}
