package io.passerelle.upgrade;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.drain.Drain;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * While draining, new upgrades are refused with 503: the client tries again and lands on another replica.
 */
@ApplicationScoped
@Priority(UpgradeOrder.DRAIN)
public class DrainUpgradeCheck implements HttpUpgradeCheck {

    private final Drain drain;

    public DrainUpgradeCheck(Drain drain) {
        this.drain = drain;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return drain.isDraining() ? CheckResult.rejectUpgrade(503) : CheckResult.permitUpgrade();
    }
}
