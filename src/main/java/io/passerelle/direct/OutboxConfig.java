package io.passerelle.direct;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Direct delivery to users and connections through the outbox topic.
 */
@ConfigMapping(prefix = "passerelle.outbox")
public interface OutboxConfig {

    /** The topic backends produce to, to reach one user or one connection. */
    @WithDefault("passerelle.outbox")
    String topic();

    /**
     * How long the broker may hold a fetch of the outbox to gather records (with {@code fetch.min.bytes} 64 KiB):
     * every replica reads the whole outbox, and what a replica spends on it is mostly per fetch, so fewer, fuller
     * fetches cost less. A direct message waits at most this much longer.
     */
    @WithDefault("20ms")
    Duration fetchWait();
}
