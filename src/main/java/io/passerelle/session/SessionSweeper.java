package io.passerelle.session;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.passerelle.auth.AuthConfig;
import io.passerelle.limits.LimitsConfig;
import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.protocol.CloseCode;
import io.passerelle.protocol.ServerFrame;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;

/**
 * Once a second, looks at every connection: warns of a token about to expire, closes sockets whose token expired
 * (4401), that were idle too long or lived too long (1001). One timer for all sockets keeps per-socket cost nil.
 */
@Startup
@ApplicationScoped
public class SessionSweeper {

    private static final long PERIOD_MILLIS = 1000;

    private final SessionRegistry sessions;
    private final Vertx vertx;
    private final long warningMillis;
    private final long idleNanos;
    private final long lifetimeMillis;
    private final GatewayMetrics metrics;
    private long timer;

    private final long graceMillis;

    public SessionSweeper(SessionRegistry sessions, Vertx vertx, AuthConfig auth, LimitsConfig limits,
            GatewayMetrics metrics,
            @ConfigProperty(name = "smallrye.jwt.expiration.grace", defaultValue = "0") int graceSeconds) {
        this.graceMillis = graceSeconds * 1000L;
        this.sessions = sessions;
        this.vertx = vertx;
        this.warningMillis = auth.expiryWarning().toMillis();
        this.idleNanos = limits.idleTimeout().toNanos();
        this.lifetimeMillis = limits.maxLifetime().toMillis();
        this.metrics = metrics;
    }

    @PostConstruct
    void start() {
        timer = vertx.setPeriodic(PERIOD_MILLIS, ignored -> sweep());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }

    void sweep() {
        long now = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        for (ClientSession session : sessions.all()) {
            // The clock skew allowed at the upgrade is allowed on open sockets too.
            long expiresAt = session.principal().expiresAt() * 1000 + graceMillis;
            if (expiresAt > 0 && now >= expiresAt) {
                metrics.tokenExpired();
                session.close(CloseCode.TOKEN_EXPIRED);
            } else if (nowNanos - session.lastActivityNanos() > idleNanos) {
                session.close(CloseCode.IDLE);
            } else if (now - session.openedAt().toEpochMilli() > lifetimeMillis) {
                session.close(CloseCode.LIFETIME);
            } else if (expiresAt > 0 && now >= expiresAt - warningMillis && session.markExpiryWarned()) {
                session.outbound().send(new ServerFrame.TokenExpiring(expiresAt));
            }
        }
    }
}
