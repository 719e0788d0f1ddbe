package io.passerelle.transport;

/**
 * Where an open socket's text messages go: each whole message, checked to be UTF-8, as the bytes received. Called
 * on the socket's event loop, one message after the other in arrival order; it must not block.
 */
@FunctionalInterface
public interface TextReceiver {

    void onText(byte[] utf8);
}
