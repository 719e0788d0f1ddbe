package io.passerelle.session;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Keeps the TCP connection under each socket, so that a socket that does not read can be cut off (its close frame
 * would wait behind everything it did not read), and puts a {@link FrameGuard} in front of its frames.
 */
@ApplicationScoped
public class TransportUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<HttpConnection> TRANSPORT = new UserData.TypedKey<>("passerelle.transport");

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpConnection transport = context.httpRequest().connection();
        context.userData().put(TRANSPORT, transport);
        if (transport instanceof ConnectionBase base) {
            FrameGuard.install(base.channel().pipeline(), context.userData());
        }
        return CheckResult.permitUpgrade();
    }
}
