package io.passerelle.client;

/** Where a client's connection is; the same states as the JavaScript client's. */
public enum ConnectionState {
    /** Not connected yet: nothing was asked of the client. */
    IDLE,
    /** The first connection is being opened. */
    CONNECTING,
    /** Connected: requests are sent at once. */
    OPEN,
    /** The connection dropped (or the gateway closed it); a new one opens after a backoff. */
    RECONNECTING,
    /** {@link PasserelleClient#close()} was called: for good. */
    CLOSED
}
