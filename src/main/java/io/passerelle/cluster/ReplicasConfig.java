package io.passerelle.cluster;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How replicas know each other: heartbeats on a small compacted topic, one key per replica.
 */
@ConfigMapping(prefix = "passerelle.replicas")
public interface ReplicasConfig {

    /** The compacted topic of heartbeats, keyed by replica tag. */
    @WithDefault("passerelle.replicas")
    String topic();

    /** How often a replica writes its heartbeat. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * A replica not heard of for this long is dead: its connections are reported closed and a {@code disconnected}
     * lifecycle event is written for each.
     */
    @WithDefault("20s")
    Duration timeout();

    /** How long a question to another replica (inspect, send, close, list) may wait for its answer. */
    @WithDefault("5s")
    Duration questionTimeout();
}
