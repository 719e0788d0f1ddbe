package io.passerelle.fanout;

/**
 * Where a subscription's frames go: the outbound queue of one connection. Must not block.
 */
@FunctionalInterface
public interface FrameSink {

    void send(String frame);

    /** True while the receiver is far behind; when every subscriber of a topic is, its reader pauses. */
    default boolean isBackedUp() {
        return false;
    }
}
