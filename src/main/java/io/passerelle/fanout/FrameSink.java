package io.passerelle.fanout;

/**
 * Where a subscription's frames go: the outbound queue of one connection. Must not block.
 */
@FunctionalInterface
public interface FrameSink {

    void send(String frame);
}
