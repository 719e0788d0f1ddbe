package io.passerelle.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * Grants given by role (the token's {@code groups} claim), added to those the token carries itself.
 */
@ConfigMapping(prefix = "passerelle.grants")
public interface GrantsConfig {

    /** {@code passerelle.grants.roles."<role>".publish|subscribe}: topic patterns granted to that role. */
    @WithName("roles")
    Map<String, RoleGrants> roles();

    interface RoleGrants {
        Optional<List<String>> publish();

        Optional<List<String>> subscribe();
    }
}
