package io.passerelle.transport;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.passerelle.protocol.CloseCode;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.HttpClosedException;

/**
 * Turns failures of the WebSocket transport into a close with the right code. Frame handlers answer their own
 * failures with error frames, so what reaches here is about the socket itself.
 */
@ApplicationScoped
public class TransportErrors {

    private static final Logger LOG = Logger.getLogger(TransportErrors.class);

    public void close(WebSocketConnection connection, Throwable failure) {
        if (failure instanceof HttpClosedException || failure instanceof IOException) {
            // The peer went away without a close frame: nothing to answer, nothing to report.
            LOG.debugf("Connection %s dropped: %s", connection.id(), failure.getMessage());
            return;
        }
        CloseCode code = closeCodeFor(failure);
        if (code == CloseCode.INTERNAL) {
            LOG.warnf(failure, "Closing connection %s after a transport failure", connection.id());
        } else {
            LOG.debugf("Closing connection %s: %s", connection.id(), failure.getMessage());
        }
        SocketCloser.closeQuietly(connection, code);
    }

    static CloseCode closeCodeFor(Throwable failure) {
        // Vert.x reports a message over quarkus.websockets-next.server.max-message-size only by this message.
        String message = failure.getMessage();
        if (failure instanceof IllegalStateException && message != null && message.contains("max message size")) {
            return CloseCode.TOO_BIG;
        }
        return CloseCode.INTERNAL;
    }
}
