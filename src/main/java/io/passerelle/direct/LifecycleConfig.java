package io.passerelle.direct;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Lifecycle events of connections.
 */
@ConfigMapping(prefix = "passerelle.lifecycle")
public interface LifecycleConfig {

    /** The topic of {@code connected}/{@code disconnected} events, keyed by user. */
    @WithDefault("passerelle.connections")
    String topic();

    /** Connections closed on this replica remembered (to answer 410); the oldest are forgotten beyond it. */
    @WithDefault("100000")
    int maxClosedRemembered();
}
