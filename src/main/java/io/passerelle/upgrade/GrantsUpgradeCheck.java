package io.passerelle.upgrade;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.auth.Principal;
import io.passerelle.auth.SocketIdentityAugmentor;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;

/**
 * Refuses the upgrade with 403 when the token is valid but grants nothing: such a socket could only idle.
 * Missing and invalid tokens never reach this check; they are refused with 401 by the security layer.
 */
@ApplicationScoped
@Priority(UpgradeOrder.GRANTS)
public class GrantsUpgradeCheck implements HttpUpgradeCheck {

    public static final UserData.TypedKey<Principal> PRINCIPAL = new UserData.TypedKey<>("passerelle.principal");

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return context.securityIdentity().onItem().transformToUni(identity -> {
            Principal principal = SocketIdentityAugmentor.principalOf(identity);
            if (principal == null) {
                return CheckResult.rejectUpgrade(401);
            }
            if (principal.grants().isEmpty()) {
                return CheckResult.rejectUpgrade(403);
            }
            // Resolved once, when the token was verified; the socket's open callback takes it from the user data.
            context.userData().put(PRINCIPAL, principal);
            // The token is verified and its grants taken: the handshake headers, kept for the socket's life, need
            // not hold it.
            context.httpRequest().headers().remove(HttpHeaders.AUTHORIZATION);
            return CheckResult.permitUpgrade();
        });
    }
}
