package io.passerelle.transport;

import io.netty.channel.Channel;
import io.quarkus.websockets.next.HttpUpgradeCheck.HttpUpgradeContext;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under each socket, taken at the upgrade: its {@link Outbound} writes to it (and cuts it, when
 * a socket that does not read cannot even take its close frame), and a {@link FrameGuard} is put in front of its
 * frames, to read its text messages. websockets-next does not expose the channel; this is the one place that
 * reaches below it for it.
 */
public final class SocketChannels {

    private static final UserData.TypedKey<Channel> CHANNEL = new UserData.TypedKey<>("passerelle.channel");
    private static final UserData.TypedKey<FrameGuard> GUARD = new UserData.TypedKey<>("passerelle.frame-guard");

    private SocketChannels() {
    }

    /**
     * At the upgrade of an accepted socket: keeps its channel and guards its frames; text messages over
     * {@code maxMessageSize} bytes close it with 1009.
     */
    public static void capture(HttpUpgradeContext context, int maxMessageSize) {
        // WebSocket upgrades exist only on HTTP/1.1 connections, which are Vert.x connection bases.
        Channel channel = ((ConnectionBase) context.httpRequest().connection()).channel();
        context.userData().put(CHANNEL, channel);
        context.userData().put(GUARD, FrameGuard.install(channel.pipeline(), context.userData(), maxMessageSize));
    }

    /**
     * From the socket's open callback, on its event loop: its text messages go to the receiver, in arrival order,
     * those read before this call first.
     */
    public static void receiveText(WebSocketConnection connection, TextReceiver receiver) {
        FrameGuard guard = connection.userData().get(GUARD);
        Channel channel = of(connection);
        if (channel.eventLoop().inEventLoop()) {
            guard.receiveWith(receiver);
        } else {
            channel.eventLoop().execute(() -> guard.receiveWith(receiver));
        }
    }

    static Channel of(WebSocketConnection connection) {
        return connection.userData().get(CHANNEL);
    }
}
