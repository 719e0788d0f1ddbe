package io.passerelle.session;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.auth.Principal;
import io.passerelle.fanout.Fanout;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The connections open on this replica. Closing one releases everything it held.
 */
@ApplicationScoped
public class SessionRegistry {

    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final SessionConfig config;
    private final Fanout fanout;

    public SessionRegistry(SessionConfig config, Fanout fanout) {
        this.config = config;
        this.fanout = fanout;
    }

    public ClientSession open(WebSocketConnection connection, Principal principal) {
        ClientSession session = new ClientSession(connection.id(), principal,
                new Outbound(connection, config.maxQueuedFrames(), config.maxQueuedBytes()), Instant.now());
        sessions.put(session.connectionId(), session);
        return session;
    }

    public ClientSession get(String connectionId) {
        return sessions.get(connectionId);
    }

    public void close(String connectionId) {
        ClientSession session = sessions.remove(connectionId);
        if (session != null) {
            session.drainSubscriptions().forEach(fanout::unsubscribe);
        }
    }

    public int size() {
        return sessions.size();
    }

    public Collection<ClientSession> all() {
        return sessions.values();
    }

    public SessionConfig config() {
        return config;
    }
}
