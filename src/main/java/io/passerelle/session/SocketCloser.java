package io.passerelle.session;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/** Closes sockets on the gateway's initiative. */
public final class SocketCloser {

    private SocketCloser() {
    }

    /**
     * Sends the close unless the socket is closed already, without waiting: the socket's close callback accounts
     * for it, and a socket that is already gone needs nothing more.
     */
    public static void closeQuietly(WebSocketConnection connection, CloseReason reason) {
        if (!connection.isClosed()) {
            connection.close(reason).subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
    }
}
