package io.passerelle.auth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Token lifetime on open sockets.
 */
@ConfigMapping(prefix = "passerelle.auth")
public interface AuthConfig {

    /** How long before the token's {@code exp} the socket is sent {@code token_expiring}. */
    @WithDefault("60s")
    Duration expiryWarning();
}
