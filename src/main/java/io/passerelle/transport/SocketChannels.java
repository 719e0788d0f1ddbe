package io.passerelle.transport;

import io.netty.channel.Channel;
import io.quarkus.websockets.next.HttpUpgradeCheck.HttpUpgradeContext;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under each socket, taken at the upgrade: its {@link Outbound} writes to it (and cuts it, when
 * a socket that does not read cannot even take its close frame), and a {@link FrameGuard} is put in front of its
 * frames. websockets-next does not expose the channel; this is the one place that reaches below it for it.
 */
public final class SocketChannels {

    private static final UserData.TypedKey<Channel> CHANNEL = new UserData.TypedKey<>("passerelle.channel");

    private SocketChannels() {
    }

    /** At the upgrade of an accepted socket: keeps its channel and guards its frames. */
    public static void capture(HttpUpgradeContext context) {
        // WebSocket upgrades exist only on HTTP/1.1 connections, which are Vert.x connection bases.
        Channel channel = ((ConnectionBase) context.httpRequest().connection()).channel();
        context.userData().put(CHANNEL, channel);
        FrameGuard.install(channel.pipeline(), context.userData());
    }

    static Channel of(WebSocketConnection connection) {
        return connection.userData().get(CHANNEL);
    }
}
