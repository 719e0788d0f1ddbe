package io.passerelle.auth;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Which web origins may open sockets: the defence against cross-site WebSocket hijacking.
 */
@ConfigMapping(prefix = "passerelle.origins")
public interface OriginConfig {

    /**
     * Origins allowed besides the gateway's own (same origin is always allowed), such as
     * {@code https://app.example.com}; {@code *} allows any.
     */
    Optional<List<String>> allowed();

    /** Whether an upgrade without an {@code Origin} header (a non-browser client) is allowed. */
    @WithDefault("true")
    boolean allowMissing();
}
