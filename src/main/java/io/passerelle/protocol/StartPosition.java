package io.passerelle.protocol;

import java.util.Map;

/**
 * Where a subscription starts reading its channel.
 */
public sealed interface StartPosition {

    /** Only records appended after the subscription is in place. */
    record Latest() implements StartPosition {
    }

    /** Everything the topic still holds. */
    record Earliest() implements StartPosition {
    }

    /** The given offset per partition; partitions not named start at the latest offset. */
    record Offsets(Map<Integer, Long> offsets) implements StartPosition {
        public Offsets {
            offsets = Map.copyOf(offsets);
        }
    }

    StartPosition LATEST = new Latest();
    StartPosition EARLIEST = new Earliest();
}
