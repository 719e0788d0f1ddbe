package io.passerelle.auth;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * On WebSocket upgrades, replaces the verified token in the security identity by what the gateway needs of it: the
 * subject, the roles and the resolved {@link Principal} (grants and expiry). The identity is kept for the socket's
 * life, and the token with its parsed claims is most of what it weighs; a socket does not need it once verified.
 */
@ApplicationScoped
public class SocketIdentityAugmentor implements SecurityIdentityAugmentor {

    private static final String PRINCIPAL_ATTRIBUTE = "passerelle.principal";

    private final GrantResolver resolver;

    public SocketIdentityAugmentor(GrantResolver resolver) {
        this.resolver = resolver;
    }

    /** The gateway's principal of an upgrade's identity, or null when it was not authenticated by a token. */
    public static Principal principalOf(SecurityIdentity identity) {
        return identity == null ? null : identity.getAttribute(PRINCIPAL_ATTRIBUTE);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(identity);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
            Map<String, Object> attributes) {
        if (!(attributes.get(HttpSecurityUtils.ROUTING_CONTEXT_ATTRIBUTE) instanceof RoutingContext routing)
                || !WebSocketUpgrades.isUpgrade(routing.request())
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(token.getName()))
                .addRoles(identity.getRoles())
                .addAttribute(PRINCIPAL_ATTRIBUTE, resolver.principal(token))
                .build());
    }
}
