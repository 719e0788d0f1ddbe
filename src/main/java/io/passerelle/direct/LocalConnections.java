package io.passerelle.direct;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.direct.ClusterQuestions.Outcome;
import io.passerelle.direct.ClusterQuestions.Status;
import io.passerelle.kafka.InstanceId;
import io.passerelle.protocol.CloseCode;
import io.passerelle.protocol.ServerFrame;
import io.passerelle.session.ClientSession;
import io.passerelle.session.SessionRegistry;

/**
 * The answers of this replica about its own connections: the open ones (the {@link SessionRegistry}'s) and those
 * closed recently, remembered so that a question about one is answered "closed" (410) rather than "unknown" (404).
 * Nothing here grows with the cluster.
 */
@ApplicationScoped
public class LocalConnections {

    private final SessionRegistry sessions;
    private final String instance;
    private final Map<String, Boolean> closed;

    public LocalConnections(SessionRegistry sessions, InstanceId instance, LifecycleConfig lifecycle) {
        this.sessions = sessions;
        this.instance = instance.value();
        int max = lifecycle.maxClosedRemembered();
        this.closed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > max;
            }
        };
    }

    void closed(ClientSession session) {
        synchronized (closed) {
            closed.put(session.connectionId(), Boolean.TRUE);
        }
    }

    Outcome inspect(String id) {
        ClientSession session = sessions.get(id);
        return session != null ? new Outcome(Status.OK, ConnectionInfo.of(session, instance), true) : absent(id);
    }

    /** Delivers the body (JSON, else text) as a {@code message} frame. */
    Outcome send(String id, byte[] body) {
        ClientSession session = sessions.get(id);
        if (session == null) {
            return absent(id);
        }
        session.outbound().send(new ServerFrame.Message(null, List.of(), body));
        return new Outcome(Status.OK, null, true);
    }

    Outcome disconnect(String id) {
        ClientSession session = sessions.get(id);
        if (session == null) {
            return absent(id);
        }
        session.close(CloseCode.CLOSED_BY_OPERATOR);
        return new Outcome(Status.OK, null, true);
    }

    /** Up to {@code limit} open connections after the given place, in opening order, optionally of one user. */
    ConnectionPage list(String user, ConnectionPage.After after, int limit) {
        Collection<ClientSession> candidates = user == null ? sessions.all() : sessions.ofUser(user);
        List<ConnectionInfo> page = new ArrayList<>();
        for (ClientSession session : candidates) {
            ConnectionInfo info = ConnectionInfo.of(session, instance);
            if (after.admits(info)) {
                page.add(info);
            }
        }
        page.sort(ConnectionPage.ORDER);
        boolean more = page.size() > limit;
        return new ConnectionPage(List.copyOf(page.subList(0, Math.min(limit, page.size()))), more);
    }

    private Outcome absent(String id) {
        boolean wasClosed;
        synchronized (closed) {
            wasClosed = closed.containsKey(id);
        }
        return new Outcome(wasClosed ? Status.GONE : Status.NOT_FOUND, null, true);
    }
}
