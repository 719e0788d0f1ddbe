package io.passerelle.session;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.passerelle.auth.Principal;
import io.passerelle.cluster.ConnectionIds;
import io.passerelle.fanout.Fanout;
import io.passerelle.limits.LimitsConfig;
import io.passerelle.limits.TokenBucket;
import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.transport.Outbound;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The connections open on this replica. Closing one releases everything it held.
 */
@ApplicationScoped
public class SessionRegistry {

    private static final TypedKey<ClientSession> SESSION = new TypedKey<>("passerelle.session");

    /** By gateway id; the socket's own user data points at its session too, for the socket's callbacks. */
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final SessionConfig config;
    private final Fanout fanout;

    private final int maxPendingReplies;
    private final GatewayMetrics metrics;
    private final LimitsConfig limits;
    private final ConnectionIds ids;

    /**
     * @param maxPendingReplies the bound of each socket's {@link PendingReplies}; its key belongs to the outbox's
     *        settings, where operators look for it, so it is read here by name
     */
    public SessionRegistry(SessionConfig config, Fanout fanout, GatewayMetrics metrics, LimitsConfig limits,
            ConnectionIds ids,
            @ConfigProperty(name = "passerelle.outbox.max-pending-replies", defaultValue = "1000") int maxPendingReplies) {
        this.limits = limits;
        this.ids = ids;
        this.config = config;
        this.fanout = fanout;
        this.maxPendingReplies = maxPendingReplies;
        this.metrics = metrics;
        metrics.watchConnections(sessions::size, () -> total(session -> session.outbound().queuedFrames()));
    }

    /** The sum over this replica's sessions. */
    private long total(ToLongFunction<ClientSession> perSession) {
        long total = 0;
        for (ClientSession session : sessions.values()) {
            total += perSession.applyAsLong(session);
        }
        return total;
    }

    public ClientSession open(WebSocketConnection connection, Principal principal) {
        ClientSession session = new ClientSession(ids.next(), connection, principal,
                new Outbound(connection, config.maxQueuedFrames(), config.maxQueuedBytes(), metrics),
                maxPendingReplies, new TokenBucket(limits.publishRate(), limits.publishBurst()));
        sessions.put(session.connectionId(), session);
        connection.userData().put(SESSION, session);
        byUser.computeIfAbsent(session.user(), user -> ConcurrentHashMap.newKeySet()).add(session);
        return session;
    }

    /** The local sessions of a user; empty when the user has none on this replica. */
    public Set<ClientSession> ofUser(String user) {
        return byUser.getOrDefault(user, Set.of());
    }

    /** The open session by its gateway id, or null. */
    public ClientSession get(String connectionId) {
        return sessions.get(connectionId);
    }

    /** The open session of a socket, or null. */
    public ClientSession of(WebSocketConnection connection) {
        return connection.userData().get(SESSION);
    }

    /** Forgets the socket's session and releases what it held; returns the session, or null if it was not open. */
    public ClientSession close(WebSocketConnection connection) {
        ClientSession open = of(connection);
        ClientSession session = open == null ? null : sessions.remove(open.connectionId());
        if (session != null) {
            byUser.computeIfPresent(session.user(), (user, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
            session.drainSubscriptions().forEach(fanout::unsubscribe);
        }
        return session;
    }

    /** Publishes accepted on this replica's sockets and not answered yet. */
    public long unansweredPublishes() {
        return total(ClientSession::unansweredPublishes);
    }

    public int size() {
        return sessions.size();
    }

    public Collection<ClientSession> all() {
        return sessions.values();
    }
}
