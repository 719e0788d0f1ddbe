package io.passerelle.auth;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * Refuses the upgrade with 403 when the token is valid but grants nothing: such a socket could only idle.
 * Missing and invalid tokens never reach this check; they are refused with 401 by the security layer.
 */
@ApplicationScoped
public class GrantsUpgradeCheck implements HttpUpgradeCheck {

    private final GrantResolver resolver;

    public GrantsUpgradeCheck(GrantResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return context.securityIdentity().onItem().transformToUni(identity -> {
            if (identity == null || identity.isAnonymous()
                    || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                return CheckResult.rejectUpgrade(401);
            }
            return resolver.principal(token).grants().isEmpty()
                    ? CheckResult.rejectUpgrade(403)
                    : CheckResult.permitUpgrade();
        });
    }
}
