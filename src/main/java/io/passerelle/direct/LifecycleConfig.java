package io.passerelle.direct;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Lifecycle events of connections, and what replicas learn from them.
 */
@ConfigMapping(prefix = "passerelle.lifecycle")
public interface LifecycleConfig {

    /** The topic of {@code connected}/{@code disconnected} events, keyed by user. */
    @WithDefault("passerelle.connections")
    String topic();

    /** How far back a replica reads lifecycle events at start, to know the connections of other replicas. */
    @WithDefault("24h")
    Duration lookback();

    /** Closed connections remembered (to answer 410); the oldest are forgotten beyond it. */
    @WithDefault("100000")
    int maxClosedRemembered();
}
