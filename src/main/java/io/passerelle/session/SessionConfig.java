package io.passerelle.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Per-connection bounds.
 */
@ConfigMapping(prefix = "passerelle.connection")
public interface SessionConfig {

    /** Frames written to a socket but not yet taken by the network; beyond it the socket is closed (1008). */
    @WithDefault("10000")
    int maxQueuedFrames();

    /** Bytes written to a socket but not yet taken by the network; beyond it the socket is closed (1008). */
    @WithDefault("16777216")
    long maxQueuedBytes();

    /** Subscriptions one connection may hold at once. */
    @WithDefault("100")
    int maxSubscriptions();
}
