package io.passerelle.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The publish rate limit, with the time given: a burst, then the rate, never more than the burst. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstThenTheRate() {
        TokenBucket bucket = new TokenBucket(10, 3);
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryAcquire(start), "token " + i + " of the burst");
        }
        assertFalse(bucket.tryAcquire(start), "the burst is spent");
        assertFalse(bucket.tryAcquire(start + SECOND / 20), "half a token after 50 ms at 10/s");
        assertTrue(bucket.tryAcquire(start + SECOND / 10), "one token after 100 ms");
        assertFalse(bucket.tryAcquire(start + SECOND / 10));
        assertTrue(bucket.tryAcquire(start + 10 * SECOND), "refilled");
        assertTrue(bucket.tryAcquire(start + 10 * SECOND));
        assertTrue(bucket.tryAcquire(start + 10 * SECOND));
        assertFalse(bucket.tryAcquire(start + 10 * SECOND), "never more than the burst");
    }

    @Test
    void aTimeReadBeforeTheBucketsLastRefillTakesNothingBack() {
        long earlier = System.nanoTime();
        TokenBucket bucket = new TokenBucket(10, 3);
        // A frame's arrival read before the bucket's own clock: the full burst is still there.
        for (int i = 0; i < 3; i++) {
            assertTrue(bucket.tryAcquire(earlier), "token " + i + " of the burst");
        }
        assertFalse(bucket.tryAcquire(earlier));
    }
}
