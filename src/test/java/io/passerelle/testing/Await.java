package io.passerelle.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** Waiting for something to become true, bounded; the one way tests wait. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {
    }

    /** Waits until the condition holds; fails, naming what was awaited, after the timeout. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            pause();
        }
    }

    /** Waits until the value is the expected one; fails with the last value seen after the timeout. */
    public static void value(String what, Duration timeout, IntSupplier value, int expected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last;
        while ((last = value.getAsInt()) != expected && System.nanoTime() < deadline) {
            pause();
        }
        assertEquals(expected, last, what);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
