package io.passerelle.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Accepts the token from an {@code access_token} query parameter, for clients that can set neither a header nor
 * a subprotocol. On WebSocket upgrades only, it is moved into the {@code Authorization} header before authentication runs. The parameter is
 * never logged by the gateway.
 */
@ApplicationScoped
public class QueryTokenFilter {

    public static final String PARAMETER = "access_token";

    /** Runs before Quarkus' authentication filter (priority 200). */
    private static final int BEFORE_AUTHENTICATION = 250;

    void register(@Observes Filters filters) {
        filters.register(context -> {
            HttpServerRequest request = context.request();
            if (WebSocketUpgrades.isUpgrade(request)
                    && !request.headers().contains(HttpHeaders.AUTHORIZATION)) {
                String token = request.getParam(PARAMETER);
                if (token != null && !token.isBlank()) {
                    request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
                }
            }
            context.next();
        }, BEFORE_AUTHENTICATION);
    }

}
