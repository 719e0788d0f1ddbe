package io.passerelle.drain;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * While draining, the replica reports not ready, so that load balancers move traffic to other replicas.
 */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {

    private final Drain drain;

    public DrainReadiness(Drain drain) {
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Passerelle accepting connections").status(!drain.isDraining()).build();
    }
}
