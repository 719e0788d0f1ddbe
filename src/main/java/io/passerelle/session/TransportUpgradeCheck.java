package io.passerelle.session;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.channel.Channel;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Keeps the channel under each socket, which its {@link Outbound} writes to (and cuts, when a socket that does not
 * read cannot even take its close frame), and puts a {@link FrameGuard} in front of its frames.
 */
@ApplicationScoped
public class TransportUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<Channel> CHANNEL = new UserData.TypedKey<>("passerelle.channel");

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        // WebSocket upgrades exist only on HTTP/1.1 connections, which are Vert.x connection bases.
        Channel channel = ((ConnectionBase) context.httpRequest().connection()).channel();
        context.userData().put(CHANNEL, channel);
        FrameGuard.install(channel.pipeline(), context.userData());
        return CheckResult.permitUpgrade();
    }
}
