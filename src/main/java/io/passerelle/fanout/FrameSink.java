package io.passerelle.fanout;

/**
 * Where a subscription's frames go: the outbound queue of one connection. Must not block.
 */
public interface FrameSink {

    void send(String frame);

    /**
     * Queues an {@code event} frame already encoded as UTF-8 (the same bytes may go to many sinks); it leaves with
     * the next {@link #flushEvents()} or {@link #send}. Readers queue a whole poll's records, then flush once.
     */
    void sendEvent(byte[] utf8);

    /** Sends the queued events. */
    void flushEvents();

    /** True while the receiver is far behind; when every subscriber of a topic is, its reader pauses. */
    default boolean isBackedUp() {
        return false;
    }
}
