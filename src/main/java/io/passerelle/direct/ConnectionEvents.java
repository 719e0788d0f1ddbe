package io.passerelle.direct;

import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.session.ClientSession;

/**
 * What the rest of the gateway cluster learns when a local socket opens or closes.
 */
@ApplicationScoped
public class ConnectionEvents {

    private final LocalConnections local;
    private final LifecycleEvents lifecycle;
    private final GatewayMetrics metrics;

    public ConnectionEvents(LocalConnections local, LifecycleEvents lifecycle, GatewayMetrics metrics) {
        this.local = local;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
    }

    public void opened(ClientSession session) {
        metrics.connectionOpened();
        lifecycle.connected(session);
    }

    public void closed(ClientSession session, int code, String reason) {
        metrics.connectionClosed(code);
        local.closed(session);
        lifecycle.disconnected(session, code, reason);
    }
}
