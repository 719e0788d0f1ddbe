package io.passerelle.direct;

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
}
