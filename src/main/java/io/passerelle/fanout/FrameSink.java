package io.passerelle.fanout;

/**
 * Where a subscription's frames go: the outbound queue of one connection. Must not block.
 */
public interface FrameSink {

    void send(String frame);

    /** Sends an {@code event} frame already encoded as UTF-8; the same bytes may go to many sinks. */
    void sendEvent(byte[] utf8);

    /** True while the receiver is far behind; when every subscriber of a topic is, its reader pauses. */
    default boolean isBackedUp() {
        return false;
    }
}
