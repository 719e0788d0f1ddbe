package io.passerelle.direct;

import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.kafka.InstanceId;
import io.passerelle.session.ClientSession;

/**
 * What the rest of the gateway cluster learns when a local socket opens or closes.
 */
@ApplicationScoped
public class ConnectionEvents {

    private final ConnectionDirectory directory;
    private final LifecycleEvents lifecycle;
    private final String instance;

    public ConnectionEvents(ConnectionDirectory directory, LifecycleEvents lifecycle, InstanceId instance) {
        this.directory = directory;
        this.lifecycle = lifecycle;
        this.instance = instance.value();
    }

    public void opened(ClientSession session) {
        directory.opened(session.connectionId(), session.user(), instance, session.openedAt().toEpochMilli());
        lifecycle.connected(session);
    }

    public void closed(ClientSession session, int code, String reason) {
        directory.closed(session.connectionId());
        lifecycle.disconnected(session, code, reason);
    }
}
