package io.passerelle.upgrade;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.auth.Principal;
import io.passerelle.auth.SocketIdentityAugmentor;
import io.passerelle.limits.LimitsConfig;
import io.passerelle.session.SessionRegistry;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * Refuses an upgrade beyond the connection limits: 429 when the user holds its maximum on this replica, 503 when
 * the replica is full (another replica may take it).
 */
@ApplicationScoped
@Priority(UpgradeOrder.CONNECTION_LIMITS)
public class ConnectionLimitsCheck implements HttpUpgradeCheck {

    private final SessionRegistry sessions;
    private final LimitsConfig limits;

    public ConnectionLimitsCheck(SessionRegistry sessions, LimitsConfig limits) {
        this.sessions = sessions;
        this.limits = limits;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (sessions.size() >= limits.maxConnections()) {
            return CheckResult.rejectUpgrade(503);
        }
        return context.securityIdentity().onItem().transformToUni(identity -> {
            Principal principal = SocketIdentityAugmentor.principalOf(identity);
            if (principal != null && sessions.ofUser(principal.subject()).size() >= limits.maxConnectionsPerUser()) {
                return CheckResult.rejectUpgrade(429);
            }
            return CheckResult.permitUpgrade();
        });
    }
}
