package io.passerelle.direct;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The gateway's own topics (outbox and lifecycle), created at start when missing.
 */
@ConfigMapping(prefix = "passerelle.topics")
public interface TopicsConfig {

    /** Create the outbox and lifecycle topics at start when they do not exist. */
    @WithDefault("true")
    boolean autoCreate();

    /** Partitions of topics the gateway creates. */
    @WithDefault("3")
    int partitions();

    /** Replication factor of topics the gateway creates; -1 takes the broker's default. */
    @WithDefault("-1")
    short replicationFactor();
}
