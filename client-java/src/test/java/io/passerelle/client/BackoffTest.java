package io.passerelle.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void theCeilingDoublesUpToTheMaximumAndDelaysAreJitteredUnderIt() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15));
        assertEquals(250, backoff.ceilingMillis(1));
        assertEquals(500, backoff.ceilingMillis(2));
        assertEquals(8000, backoff.ceilingMillis(6));
        assertEquals(15000, backoff.ceilingMillis(7));
        assertEquals(15000, backoff.ceilingMillis(1000));
        long lowest = Long.MAX_VALUE;
        long highest = 0;
        for (int i = 0; i < 2000; i++) {
            long delay = backoff.delayMillis(7);
            assertTrue(delay >= 0 && delay < 15000, "delay " + delay);
            lowest = Math.min(lowest, delay);
            highest = Math.max(highest, delay);
        }
        assertTrue(lowest < 1500 && highest > 13500, "full jitter spreads delays over [0, ceiling)");
    }
}
