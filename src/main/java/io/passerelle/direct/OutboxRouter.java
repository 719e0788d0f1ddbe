package io.passerelle.direct;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.passerelle.kafka.KafkaClientConfigs;
import io.passerelle.kafka.TopicTail;
import io.passerelle.protocol.FrameWriter;
import io.passerelle.session.ClientSession;
import io.passerelle.session.SessionRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.CloseReason;

/**
 * Follows every partition of the outbox and delivers each record to the local sockets it targets: all sockets of
 * a user, or one connection. Every replica reads the whole outbox; a record for sockets held elsewhere is simply
 * not delivered here. Records without a target are counted and dropped.
 */
@Startup
@ApplicationScoped
public class OutboxRouter {

    /** The close of a connection by the management API. */
    public static final CloseReason CLOSED_BY_OPERATOR = new CloseReason(4000, "closed by operator");

    private final KafkaClientConfigs configs;
    private final OutboxConfig outbox;
    private final SessionRegistry sessions;
    private final Counter delivered;
    private final Counter notHere;
    private final Counter untargeted;
    private final Counter commands;
    private TopicTail tail;

    public OutboxRouter(KafkaClientConfigs configs, OutboxConfig outbox, SessionRegistry sessions,
            MeterRegistry registry) {
        this.configs = configs;
        this.outbox = outbox;
        this.sessions = sessions;
        String name = "passerelle.outbox.records";
        String description = "Outbox records read by this replica, by what became of them";
        this.delivered = Counter.builder(name).description(description).tag("result", "delivered").register(registry);
        this.notHere = Counter.builder(name).description(description).tag("result", "no_local_target")
                .register(registry);
        this.untargeted = Counter.builder(name).description(description).tag("result", "no_target")
                .register(registry);
        this.commands = Counter.builder(name).description(description).tag("result", "command").register(registry);
    }

    @PostConstruct
    void start() {
        tail = new TopicTail("outbox-reader", outbox.topic(), () -> new KafkaConsumer<>(configs.reader("outbox")),
                null, this::route);
        tail.start();
    }

    @PreDestroy
    void stop() {
        tail.stop();
    }

    void route(ConsumerRecord<byte[], byte[]> record) {
        String connection = header(record, DirectHeaders.TARGET_CONNECTION);
        String user = header(record, DirectHeaders.TARGET_USER);
        if (connection != null) {
            ClientSession session = sessions.get(connection);
            if (session == null) {
                notHere.increment();
            } else if (DirectHeaders.DISCONNECT.equals(header(record, DirectHeaders.COMMAND))) {
                commands.increment();
                session.close(CLOSED_BY_OPERATOR);
            } else {
                deliver(session, record, null);
            }
        } else if (user != null) {
            Set<ClientSession> targets = sessions.ofUser(user);
            if (targets.isEmpty()) {
                notHere.increment();
            }
            String frame = FrameWriter.message(record);
            for (ClientSession session : targets) {
                deliver(session, record, frame);
            }
        } else {
            untargeted.increment();
        }
    }

    /** A reply when the record answers a pending request of the session, else a message. */
    private void deliver(ClientSession session, ConsumerRecord<byte[], byte[]> record, String messageFrame) {
        String correlation = header(record, DirectHeaders.CORRELATION_ID);
        String requestId = correlation == null ? null : session.pendingReplies().take(correlation);
        if (requestId != null) {
            session.outbound().send(FrameWriter.reply(requestId, record));
        } else {
            session.outbound().send(messageFrame != null ? messageFrame : FrameWriter.message(record));
        }
        delivered.increment();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
