package io.passerelle.upgrade;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.passerelle.auth.WebSocketUpgrades;
import io.passerelle.metrics.GatewayMetrics;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;

/**
 * Counts WebSocket upgrades refused with an HTTP status (401, 403, 429, 503…), whichever layer refused them.
 */
@ApplicationScoped
public class UpgradeRejections {

    /** Before authentication, so that its refusals are seen too. */
    private static final int PRIORITY = 260;

    void register(@Observes Filters filters, GatewayMetrics metrics) {
        filters.register(context -> {
            HttpServerRequest request = context.request();
            if (WebSocketUpgrades.isUpgrade(request)) {
                context.addHeadersEndHandler(ignored -> {
                    int status = context.response().getStatusCode();
                    if (status >= 400) {
                        metrics.upgradeRejected(status);
                    }
                });
            }
            context.next();
        }, PRIORITY);
    }
}
