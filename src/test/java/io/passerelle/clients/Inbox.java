package io.passerelle.clients;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What a client's listener received, awaited by a test. */
final class Inbox<T> implements Consumer<T> {
    private final List<T> items = new ArrayList<>();

    @Override
    public synchronized void accept(T item) {
        items.add(item);
        notifyAll();
    }

    /** Waits until at least {@code count} items arrived; returns all of them. */
    synchronized List<T> await(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (items.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected " + count + " items, got " + items.size() + ": " + items);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        return new ArrayList<>(items);
    }

    /** Waits a moment and returns everything received, for "nothing more arrives" checks. */
    List<T> settle(Duration quiet) throws InterruptedException {
        Thread.sleep(quiet.toMillis());
        synchronized (this) {
            return new ArrayList<>(items);
        }
    }

    synchronized List<T> all() {
        return new ArrayList<>(items);
    }
}
