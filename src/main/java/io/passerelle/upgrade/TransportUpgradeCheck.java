package io.passerelle.upgrade;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.passerelle.transport.SocketChannels;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;

/**
 * The last check: for an upgrade every other check accepted, keeps the socket's channel and guards its frames.
 */
@ApplicationScoped
@Priority(UpgradeOrder.TRANSPORT)
public class TransportUpgradeCheck implements HttpUpgradeCheck {

    /** The transport's own limit, which the guard applies to the text messages it reads. */
    @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size", defaultValue = "262144")
    int maxMessageSize;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        SocketChannels.capture(context, maxMessageSize);
        return CheckResult.permitUpgrade();
    }
}
