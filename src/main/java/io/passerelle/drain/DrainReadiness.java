package io.passerelle.drain;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * While draining, the replica reports not ready and refuses new upgrades with 503, so that load balancers and
 * clients move to other replicas.
 */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck, HttpUpgradeCheck {

    private final Drain drain;

    public DrainReadiness(Drain drain) {
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Passerelle accepting connections").status(!drain.isDraining()).build();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return drain.isDraining() ? CheckResult.rejectUpgrade(503) : CheckResult.permitUpgrade();
    }
}
