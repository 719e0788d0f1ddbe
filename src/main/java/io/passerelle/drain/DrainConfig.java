package io.passerelle.drain;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Graceful shutdown.
 */
@ConfigMapping(prefix = "passerelle.drain")
public interface DrainConfig {

    /** Longest the gateway waits, on shutdown, for publishes in flight to be acknowledged or to fail. */
    @WithDefault("10s")
    Duration timeout();

    /**
     * How long, at least, sockets stay open once the drain started (within {@link #timeout()}): frames clients sent
     * just before are still read and answered, new publishes with {@code unavailable}, before the 1001.
     */
    @WithDefault("1s")
    Duration grace();
}
