package io.passerelle.clients;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A token supplier that a test can hold shut: while held, a client asking for a token (it does before each
 * connect) waits, so that the test decides when a reconnect happens.
 */
final class GatedTokens implements Supplier<String> {
    private final Supplier<String> tokens;
    private final AtomicInteger asked = new AtomicInteger();
    private boolean held;
    private boolean waiting;

    GatedTokens(Supplier<String> tokens) {
        this.tokens = tokens;
    }

    @Override
    public String get() {
        asked.incrementAndGet();
        synchronized (this) {
            while (held) {
                waiting = true;
                notifyAll();
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while held");
                }
            }
            waiting = false;
        }
        return tokens.get();
    }

    synchronized void hold() {
        held = true;
    }

    synchronized void release() {
        held = false;
        notifyAll();
    }

    /** A client is waiting for a token. */
    synchronized boolean waiting() {
        return waiting;
    }

    int asked() {
        return asked.get();
    }
}
