package io.passerelle.auth;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Tells WebSocket upgrades from other HTTP requests, for the filters that treat them apart. */
public final class WebSocketUpgrades {

    private WebSocketUpgrades() {
    }

    public static boolean isUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }
}
