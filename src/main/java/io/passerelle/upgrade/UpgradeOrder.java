package io.passerelle.upgrade;

/**
 * The order of the gateway's upgrade checks: websockets-next runs them by bean priority, highest first, after its
 * own security check (which answers 401 for a missing or invalid token and 403 for a missing role). The cheapest
 * refusals come first, and the transport is touched only for an upgrade every check accepted.
 */
final class UpgradeOrder {

    /** 503 while the replica drains: the client goes to another replica. */
    static final int DRAIN = 500;
    /** 403 for a browser page of a foreign origin. */
    static final int ORIGIN = 400;
    /** 503 when the replica is full, 429 when the user holds its maximum here. */
    static final int CONNECTION_LIMITS = 300;
    /** 403 for a valid token that grants nothing; keeps the resolved principal for the socket. */
    static final int GRANTS = 200;
    /** Keeps the socket's channel and guards its frames. */
    static final int TRANSPORT = 100;

    private UpgradeOrder() {
    }
}
