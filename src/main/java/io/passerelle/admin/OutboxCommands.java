package io.passerelle.admin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.passerelle.direct.OutboxConfig;
import io.passerelle.kafka.RecordPublisher;
import io.passerelle.protocol.GatewayHeaders;
import io.passerelle.protocol.ServerFrame;
import io.passerelle.session.ClientSession;

/**
 * Management operations for a connection: delivered directly when it is local, else written to the outbox for
 * the replica that holds it.
 */
@ApplicationScoped
public class OutboxCommands {

    private final RecordPublisher publisher;
    private final String outbox;

    public OutboxCommands(RecordPublisher publisher, OutboxConfig outbox) {
        this.publisher = publisher;
        this.outbox = outbox.topic();
    }

    public void deliverLocally(ClientSession session, byte[] body) {
        session.outbound().send(new ServerFrame.Message(null, List.of(), body));
    }

    public CompletionStage<Void> send(String connection, byte[] body) {
        return write(connection, body, null);
    }

    public CompletionStage<Void> disconnect(String connection) {
        return write(connection, null, GatewayHeaders.DISCONNECT);
    }

    private CompletionStage<Void> write(String connection, byte[] value, String command) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(GatewayHeaders.TARGET_CONNECTION, connection.getBytes(StandardCharsets.UTF_8));
        if (command != null) {
            headers.add(GatewayHeaders.COMMAND, command.getBytes(StandardCharsets.UTF_8));
        }
        return publisher.publish(new ProducerRecord<byte[], byte[]>(outbox, null, (byte[]) null, value, headers))
                .thenApply(ignored -> null);
    }
}
