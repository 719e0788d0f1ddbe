package io.passerelle.ws;

import jakarta.inject.Inject;

import io.passerelle.direct.ConnectionEvents;
import io.passerelle.exchange.FrameHandler;
import io.passerelle.session.ClientSession;
import io.passerelle.session.SessionRegistry;
import io.passerelle.transport.SocketChannels;
import io.passerelle.transport.TransportErrors;
import io.passerelle.upgrade.GrantsUpgradeCheck;
import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * The client WebSocket endpoint. Authentication happens at the upgrade; this class only routes socket events to
 * the session registry and the frame handler, on the event loop (nothing here blocks). Text messages reach the
 * frame handler from the transport's own reader, named at the open.
 * <p>
 * Every callback runs to its end on the connection's event loop, so messages are handled one after the other in
 * arrival order without the per-connection queue that serial processing would add to every socket.
 */
@WebSocket(path = "/ws", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
@Authenticated
public class GatewaySocket {

    @Inject
    SessionRegistry sessions;

    @Inject
    FrameHandler frames;

    @Inject
    ConnectionEvents events;

    @Inject
    TransportErrors transportErrors;

    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        ClientSession session = sessions.open(connection, connection.userData().get(GrantsUpgradeCheck.PRINCIPAL));
        events.opened(session);
        // Text messages are read below websockets-next, as bytes on the event loop (see FrameGuard).
        SocketChannels.receiveText(connection, text -> {
            // One clock read per frame: its arrival serves the idle check, the rate limit, the topic's freshness
            // and the publish latency.
            long receivedNanos = System.nanoTime();
            session.touch(receivedNanos);
            frames.onText(session, text, receivedNanos);
        });
    }

    @OnBinaryMessage
    @NonBlocking
    void onBinary(Buffer data, WebSocketConnection connection) {
        ClientSession session = sessions.of(connection);
        if (session != null) {
            session.touch(System.nanoTime());
            frames.onBinary(session, data.length());
        }
    }

    @OnPongMessage
    @NonBlocking
    void onPong(Buffer data, WebSocketConnection connection) {
        ClientSession session = sessions.of(connection);
        if (session != null) {
            session.touch(System.nanoTime());
        }
    }

    @OnError
    @NonBlocking
    void onError(Throwable failure, WebSocketConnection connection) {
        transportErrors.close(connection, failure);
    }

    @OnClose
    @NonBlocking
    void onClose(CloseReason reason, WebSocketConnection connection) {
        ClientSession session = sessions.close(connection);
        if (session != null) {
            CloseReason effective = session.closeReason(reason);
            events.closed(session, effective.getCode(), effective.getMessage());
        }
    }
}
