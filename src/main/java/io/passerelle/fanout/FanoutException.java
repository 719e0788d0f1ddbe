package io.passerelle.fanout;

import java.util.Map;

import io.passerelle.protocol.OffsetOutOfRangeException;

/**
 * Why the fan-out refused or ended a subscription, in its own terms: the exchange tells the client, with the
 * request's id and a wire code.
 */
public final class FanoutException extends RuntimeException {

    public enum Reason {
        /** The start offsets name a partition the channel does not have. */
        NO_SUCH_PARTITION,
        /** The start offsets are outside what the partitions hold; {@link #available()} says what they hold. */
        OFFSETS_OUT_OF_RANGE,
        /** This replica holds its maximum of consumer-group subscriptions. */
        GROUP_LIMIT,
        /** A commit names a partition the group does not assign to this subscription. */
        NOT_ASSIGNED,
        /** A commit for a subscription that is not a consumer-group member. */
        NOT_IN_A_GROUP,
        /** The channel's topic was deleted under the subscription. */
        CHANNEL_DELETED
    }

    private final Reason reason;
    private final Map<Integer, OffsetOutOfRangeException.Range> available;

    FanoutException(Reason reason, String message) {
        this(reason, message, Map.of());
    }

    FanoutException(Reason reason, String message, Map<Integer, OffsetOutOfRangeException.Range> available) {
        super(message, null, false, false);
        this.reason = reason;
        this.available = Map.copyOf(available);
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#OFFSETS_OUT_OF_RANGE}: the offsets each partition holds. */
    public Map<Integer, OffsetOutOfRangeException.Range> available() {
        return available;
    }
}
