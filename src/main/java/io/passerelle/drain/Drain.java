package io.passerelle.drain;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.passerelle.cluster.ReplicaDirectory;
import io.passerelle.kafka.RecordPublisher;
import io.passerelle.protocol.CloseCode;
import io.passerelle.session.ClientSession;
import io.passerelle.session.SessionRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Graceful drain on SIGTERM: readiness goes DOWN and new upgrades are refused, publishes in flight are answered
 * (bounded by {@code passerelle.drain.timeout}), every socket is closed with 1001 so that clients reconnect to
 * another replica, the other replicas are told this one ended, and the producer is flushed before the process exits.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final SessionRegistry sessions;
    private final RecordPublisher publisher;
    private final ReplicaDirectory replicas;
    private final DrainConfig config;
    private volatile boolean draining;

    public Drain(SessionRegistry sessions, RecordPublisher publisher, ReplicaDirectory replicas, DrainConfig config) {
        this.sessions = sessions;
        this.replicas = replicas;
        this.publisher = publisher;
        this.config = config;
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * The shutdown delay starts first, while the HTTP server still serves sockets and probes: the drain happens
     * there.
     */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** Without a shutdown delay, drain as early as the shutdown allows. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drain();
    }

    private synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
        int open = sessions.size();
        LOG.infof("Draining: %d connections, %d publishes unanswered", open, sessions.unansweredPublishes());
        long graceEnds = System.nanoTime() + config.grace().toNanos();
        // Sockets keep being read during the grace, so what clients sent just before the signal is answered too;
        // then every accepted publish is answered (ack or error) before its socket's 1001, which queues behind it.
        awaitUntil(() -> System.nanoTime() >= graceEnds && sessions.unansweredPublishes() == 0, config.timeout());
        long unanswered = sessions.unansweredPublishes();
        for (ClientSession session : sessions.all()) {
            session.close(CloseCode.GOING_AWAY);
        }
        awaitUntil(() -> sessions.size() == 0, CLOSE_WAIT);
        replicas.leave();
        publisher.flush();
        LOG.infof("Drained: %d connections closed with 1001, %d publishes left unanswered", open - sessions.size(),
                unanswered);
    }

    private static void awaitUntil(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
