package io.passerelle.protocol;

import java.util.Map;

/**
 * A subscription asked for offsets the topic no longer (or does not yet) hold. The client is told exactly what is
 * available, per partition, instead of silently skipping records.
 */
public final class OffsetOutOfRangeException extends ProtocolException {

    /** The offsets a partition holds: {@code first} to {@code last} inclusive; {@code last < first} when empty. */
    public record Range(long first, long last) {
    }

    private final Map<Integer, Range> available;

    public OffsetOutOfRangeException(String requestId, String message, Map<Integer, Range> available) {
        super(ErrorCode.OFFSET_OUT_OF_RANGE, requestId, message);
        this.available = Map.copyOf(available);
    }

    public Map<Integer, Range> available() {
        return available;
    }
}
