package io.passerelle.limits;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code ratePerSecond}. Thread-safe.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double ratePerSecond, int burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    /**
     * Takes a token at {@code nowNanos}, a {@link System#nanoTime()} the caller read. A time before the last refill
     * (read earlier, on another thread) refills nothing and takes nothing back: a full bucket keeps its burst.
     */
    public synchronized boolean tryAcquire(long nowNanos) {
        if (nowNanos - refilledAt > 0) {
            tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * ratePerNano);
            refilledAt = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
