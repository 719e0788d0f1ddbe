package io.passerelle.direct;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.kafka.InstanceId;
import io.passerelle.kafka.RecordPublisher;
import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.session.ClientSession;

/**
 * Publishes {@code connected} and {@code disconnected} events to the lifecycle topic, keyed by user, so that they
 * are durable and ordered per user. Publishing is handed off and never delays a handshake; a failure is counted
 * and logged once until publishing works again.
 */
@ApplicationScoped
public class LifecycleEvents {

    private static final Logger LOG = Logger.getLogger(LifecycleEvents.class);
    /** RFC 6455's code for a socket that ended without a close frame: what a dead replica's sockets did. */
    private static final int ABNORMAL_CLOSURE = 1006;

    private final RecordPublisher publisher;
    private final ObjectMapper json;
    private final String topic;
    private final String instance;
    private final GatewayMetrics metrics;
    private final AtomicBoolean failing = new AtomicBoolean();

    public LifecycleEvents(RecordPublisher publisher, ObjectMapper json, LifecycleConfig lifecycle, InstanceId instance,
            GatewayMetrics metrics) {
        this.publisher = publisher;
        this.json = json;
        this.topic = lifecycle.topic();
        this.instance = instance.value();
        this.metrics = metrics;
    }

    public void connected(ClientSession session) {
        Map<String, Object> event = base("connected", session);
        event.put("openedAt", session.openedAt().toEpochMilli());
        event.put("remoteAddress", session.remoteAddress());
        publish(session.user(), event);
    }

    public void disconnected(ClientSession session, int code, String reason) {
        Map<String, Object> event = base("disconnected", session);
        event.put("code", code);
        event.put("reason", reason == null ? "" : reason);
        publish(session.user(), event);
    }

    /**
     * The {@code disconnected} event of a connection whose replica died without writing it; {@code reportedBy} names
     * the replica that noticed.
     */
    public CompletionStage<?> disconnectedWithItsReplica(String user, String connection, String itsInstance) {
        Map<String, Object> event = base("disconnected", user, connection, itsInstance);
        event.put("code", ABNORMAL_CLOSURE);
        event.put("reason", "replica ended");
        event.put("reportedBy", instance);
        return publish(user, event);
    }

    private Map<String, Object> base(String type, ClientSession session) {
        return base(type, session.user(), session.connectionId(), instance);
    }

    private static Map<String, Object> base(String type, String user, String connection, String instance) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", type);
        event.put("user", user);
        event.put("connection", connection);
        event.put("instance", instance);
        event.put("timestamp", System.currentTimeMillis());
        return event;
    }

    private CompletionStage<?> publish(String user, Map<String, Object> event) {
        byte[] value;
        try {
            value = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return publisher.publish(new ProducerRecord<>(topic, user.getBytes(StandardCharsets.UTF_8), value))
                .whenComplete((metadata, failure) -> {
                    if (failure == null) {
                        failing.set(false);
                        return;
                    }
                    metrics.lifecyclePublishFailed();
                    if (failing.compareAndSet(false, true)) {
                        LOG.warnf("Lifecycle events cannot be written to %s (%s); counting further failures "
                                + "in passerelle_lifecycle_publish_failures_total", topic, failure.toString());
                    }
                });
    }
}
