package io.passerelle.upgrade;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.transport.SocketChannels;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * The last check: for an upgrade every other check accepted, keeps the socket's channel and guards its frames.
 */
@ApplicationScoped
@Priority(UpgradeOrder.TRANSPORT)
public class TransportUpgradeCheck implements HttpUpgradeCheck {

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        SocketChannels.capture(context);
        return CheckResult.permitUpgrade();
    }
}
