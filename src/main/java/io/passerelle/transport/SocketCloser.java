package io.passerelle.transport;

import java.util.EnumMap;
import java.util.Map;

import io.passerelle.protocol.CloseCode;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/** Closes sockets on the gateway's initiative, with the codes of {@link CloseCode}. */
public final class SocketCloser {

    private static final Map<CloseCode, CloseReason> REASONS = new EnumMap<>(CloseCode.class);

    static {
        for (CloseCode code : CloseCode.values()) {
            REASONS.put(code, new CloseReason(code.code(), code.reason()));
        }
    }

    private SocketCloser() {
    }

    /** The WebSocket close of a gateway close code. */
    public static CloseReason reasonOf(CloseCode code) {
        return REASONS.get(code);
    }

    /**
     * Sends the close unless the socket is closed already, without waiting: the socket's close callback accounts
     * for it, and a socket that is already gone needs nothing more.
     */
    public static void closeQuietly(WebSocketConnection connection, CloseCode code) {
        if (!connection.isClosed()) {
            connection.close(reasonOf(code)).subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
    }
}
