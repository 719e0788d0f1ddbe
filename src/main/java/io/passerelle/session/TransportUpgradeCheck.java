package io.passerelle.session;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpConnection;

/**
 * Keeps the TCP connection under each socket, so that a socket that does not read can be cut off: its close frame
 * would wait behind everything it did not read.
 */
@ApplicationScoped
public class TransportUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<HttpConnection> TRANSPORT = new UserData.TypedKey<>("passerelle.transport");

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        context.userData().put(TRANSPORT, context.httpRequest().connection());
        return CheckResult.permitUpgrade();
    }
}
