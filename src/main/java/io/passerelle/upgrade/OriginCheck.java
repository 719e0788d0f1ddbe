package io.passerelle.upgrade;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.passerelle.auth.OriginConfig;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Refuses, with 403, browser upgrades from origins that are not allowed: a page of another site must not be able
 * to open a socket with the user's cookies or token.
 */
@ApplicationScoped
@Priority(UpgradeOrder.ORIGIN)
public class OriginCheck implements HttpUpgradeCheck {

    private final List<String> allowed;
    private final boolean allowMissing;

    public OriginCheck(OriginConfig config) {
        this.allowed = config.allowed().orElse(List.of()).stream().map(OriginCheck::normalise).toList();
        this.allowMissing = config.allowMissing();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return isAllowed(context.httpRequest()) ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(403);
    }

    boolean isAllowed(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return allowMissing;
        }
        String normalised = normalise(origin);
        if (allowed.contains("*") || allowed.contains(normalised)) {
            return true;
        }
        return isSameOrigin(normalised, request);
    }

    private static boolean isSameOrigin(String origin, HttpServerRequest request) {
        String host = request.getHeader(HttpHeaders.HOST);
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String scheme = request.isSSL() ? "https" : "http";
            int defaultPort = request.isSSL() ? 443 : 80;
            String originHost = uri.getHost() + ":" + (uri.getPort() == -1 ? defaultPort : uri.getPort());
            String requestHost = host.contains(":") ? host : host + ":" + defaultPort;
            return scheme.equals(uri.getScheme()) && originHost.equalsIgnoreCase(requestHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalise(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
