package io.passerelle.direct;

import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.kafka.InstanceId;
import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.session.ClientSession;

/**
 * What the rest of the gateway cluster learns when a local socket opens or closes.
 */
@ApplicationScoped
public class ConnectionEvents {

    private final ConnectionDirectory directory;
    private final LifecycleEvents lifecycle;
    private final String instance;

    private final GatewayMetrics metrics;

    public ConnectionEvents(ConnectionDirectory directory, LifecycleEvents lifecycle, InstanceId instance,
            GatewayMetrics metrics) {
        this.directory = directory;
        this.lifecycle = lifecycle;
        this.instance = instance.value();
        this.metrics = metrics;
    }

    public void opened(ClientSession session) {
        metrics.connectionOpened();
        directory.opened(session.connectionId(), session.user(), instance, session.openedAt().toEpochMilli());
        lifecycle.connected(session);
    }

    public void closed(ClientSession session, int code, String reason) {
        metrics.connectionClosed(code);
        directory.closed(session.connectionId());
        lifecycle.disconnected(session, code, reason);
    }
}
