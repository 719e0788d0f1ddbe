package io.passerelle.limits;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Per-connection and per-replica limits. Each protects the gateway or other clients from one client.
 */
@ConfigMapping(prefix = "passerelle.limits")
public interface LimitsConfig {

    /** Publishes per second one connection may make, sustained (token bucket refill rate). */
    @WithDefault("100")
    double publishRate();

    /** Publishes one connection may make in a burst (token bucket size). */
    @WithDefault("200")
    int publishBurst();

    /** Publishes answered {@code rate_limited} in a row before the connection is closed with 4429. */
    @WithDefault("100")
    int maxRateLimitedInARow();

    /** Connections one user (token subject) may hold on one replica; more are refused with 429. */
    @WithDefault("100")
    int maxConnectionsPerUser();

    /** Connections one replica holds; more are refused with 503 so that clients try another replica. */
    @WithDefault("19000")
    int maxConnections();

    /** A connection from which nothing arrived (not even a pong) for this long is closed with 1001. */
    @WithDefault("10m")
    Duration idleTimeout();

    /** A connection older than this is closed with 1001, so that clients reconnect (and rebalance). */
    @WithDefault("2h")
    Duration maxLifetime();
}
