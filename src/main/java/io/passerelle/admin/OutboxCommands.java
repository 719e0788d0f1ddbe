package io.passerelle.admin;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import io.passerelle.direct.DirectHeaders;
import io.passerelle.direct.OutboxConfig;
import io.passerelle.kafka.RecordPublisher;
import io.passerelle.protocol.FrameWriter;
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

    public CompletionStage<Void> deliverLocally(ClientSession session, byte[] body) {
        ConsumerRecord<byte[], byte[]> asRecord = new ConsumerRecord<>(outbox, -1, -1, System.currentTimeMillis(),
                TimestampType.CREATE_TIME, 0, body.length, null, body, new RecordHeaders(), java.util.Optional.empty());
        session.outbound().send(FrameWriter.message(asRecord));
        return CompletableFuture.completedFuture(null);
    }

    public CompletionStage<Void> send(String connection, byte[] body) {
        return write(connection, body, null);
    }

    public CompletionStage<Void> disconnect(String connection) {
        return write(connection, null, DirectHeaders.DISCONNECT);
    }

    private CompletionStage<Void> write(String connection, byte[] value, String command) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DirectHeaders.TARGET_CONNECTION, connection.getBytes(StandardCharsets.UTF_8));
        if (command != null) {
            headers.add(DirectHeaders.COMMAND, command.getBytes(StandardCharsets.UTF_8));
        }
        return publisher.publish(new ProducerRecord<byte[], byte[]>(outbox, null, (byte[]) null, value, headers))
                .thenApply(ignored -> null);
    }
}
