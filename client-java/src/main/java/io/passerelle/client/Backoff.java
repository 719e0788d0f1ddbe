package io.passerelle.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: the n-th retry waits a uniform time in [0, min(max, initial × 2^(n-1))). */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    long ceilingMillis(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        return Math.min(maxMillis, initialMillis << doublings);
    }

    long delayMillis(int attempt) {
        long ceiling = ceilingMillis(attempt);
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling);
    }
}
