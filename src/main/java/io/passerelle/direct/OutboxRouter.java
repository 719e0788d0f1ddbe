package io.passerelle.direct;

import java.util.Map;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import io.passerelle.cluster.ConnectionIds;
import io.passerelle.fanout.RecordConverter;
import io.passerelle.kafka.KafkaClientConfigs;
import io.passerelle.kafka.TopicTail;
import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.metrics.GatewayMetrics.OutboxResult;
import io.passerelle.protocol.CloseCode;
import io.passerelle.protocol.GatewayHeaders;
import io.passerelle.protocol.ServerFrame;
import io.passerelle.session.ClientSession;
import io.passerelle.session.SessionRegistry;
import io.quarkus.runtime.Startup;

/**
 * Follows every partition of the outbox and delivers each record to the local sockets it targets: all sockets of
 * a user, or one connection, and the questions and answers between replicas addressed to this one. Every replica
 * reads the whole outbox; a record for sockets held elsewhere is simply not delivered here. Records without a target
 * are counted and dropped.
 */
@Startup
@ApplicationScoped
public class OutboxRouter {

    private static final int FETCH_MIN_BYTES = 64 * 1024;

    private final KafkaClientConfigs configs;
    private final OutboxConfig outbox;
    private final SessionRegistry sessions;
    private final GatewayMetrics metrics;
    private final ClusterQuestions questions;
    private final String self;
    private TopicTail tail;

    public OutboxRouter(KafkaClientConfigs configs, OutboxConfig outbox, SessionRegistry sessions,
            GatewayMetrics metrics, ClusterQuestions questions, ConnectionIds ids) {
        this.questions = questions;
        this.self = ids.tag();
        this.configs = configs;
        this.outbox = outbox;
        this.sessions = sessions;
        this.metrics = metrics;
    }

    @PostConstruct
    void start() {
        Map<String, Object> reader = configs.reader("outbox");
        reader.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(FETCH_MIN_BYTES));
        reader.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(outbox.fetchWait().toMillis()));
        tail = new TopicTail("outbox-reader", outbox.topic(), () -> new KafkaConsumer<>(reader), null, this::route);
        tail.start();
    }

    @PreDestroy
    void stop() {
        tail.stop();
    }

    void route(ConsumerRecord<byte[], byte[]> record) {
        String replica = OutboxHeaders.text(record, GatewayHeaders.TARGET_REPLICA);
        if (replica != null) {
            if (replica.equals(self)) {
                metrics.outboxRecord(OutboxResult.QUESTION);
                questions.handle(record);
            } else {
                metrics.outboxRecord(OutboxResult.NO_LOCAL_TARGET);
            }
            return;
        }
        String connection = OutboxHeaders.text(record, GatewayHeaders.TARGET_CONNECTION);
        String user = OutboxHeaders.text(record, GatewayHeaders.TARGET_USER);
        if (connection != null) {
            ClientSession session = sessions.get(connection);
            if (session == null) {
                metrics.outboxRecord(OutboxResult.NO_LOCAL_TARGET);
            } else if (GatewayHeaders.DISCONNECT.equals(OutboxHeaders.text(record, GatewayHeaders.COMMAND))) {
                metrics.outboxRecord(OutboxResult.COMMAND);
                session.close(CloseCode.CLOSED_BY_OPERATOR);
            } else {
                deliver(session, record, null);
            }
        } else if (user != null) {
            Set<ClientSession> targets = sessions.ofUser(user);
            if (targets.isEmpty()) {
                metrics.outboxRecord(OutboxResult.NO_LOCAL_TARGET);
            }
            ServerFrame.Message frame = RecordConverter.message(record);
            for (ClientSession session : targets) {
                deliver(session, record, frame);
            }
        } else {
            metrics.outboxRecord(OutboxResult.NO_TARGET);
        }
    }

    /** A reply when the record answers a pending request of the session, else a message. */
    private void deliver(ClientSession session, ConsumerRecord<byte[], byte[]> record,
            ServerFrame.Message messageFrame) {
        String correlation = OutboxHeaders.text(record, GatewayHeaders.CORRELATION_ID);
        String requestId = correlation == null ? null : session.pendingReplies().take(correlation);
        if (requestId != null) {
            session.outbound().send(RecordConverter.reply(requestId, record));
        } else {
            session.outbound().send(messageFrame != null ? messageFrame : RecordConverter.message(record));
        }
        metrics.outboxRecord(OutboxResult.DELIVERED);
    }

}
