package io.passerelle.direct;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.kafka.KafkaClientConfigs;
import io.passerelle.kafka.TopicTail;
import io.quarkus.runtime.Startup;

/**
 * What this replica knows of every gateway connection, its own and other replicas', learnt from the lifecycle
 * topic: which are open and where, and which were closed recently. It lets the management API route to another
 * replica, or answer 404 or 410.
 */
@Startup
@ApplicationScoped
public class ConnectionDirectory {

    /** A connection as the lifecycle topic describes it. */
    public record Known(String connection, String user, String instance, long openedAt, boolean open) {
    }

    private final Map<String, Known> open = new ConcurrentHashMap<>();
    private final Map<String, Known> closed;
    private final KafkaClientConfigs configs;
    private final LifecycleConfig lifecycle;
    private final ObjectMapper json;
    private TopicTail tail;

    public ConnectionDirectory(KafkaClientConfigs configs, LifecycleConfig lifecycle, ObjectMapper json) {
        this.configs = configs;
        this.lifecycle = lifecycle;
        this.json = json;
        int max = lifecycle.maxClosedRemembered();
        this.closed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                return size() > max;
            }
        };
    }

    @PostConstruct
    void start() {
        tail = new TopicTail("lifecycle-reader", lifecycle.topic(),
                () -> new KafkaConsumer<>(configs.reader("lifecycle")),
                Instant.now().minus(lifecycle.lookback()), this::apply);
        tail.start();
    }

    @PreDestroy
    void stop() {
        tail.stop();
    }

    public Optional<Known> find(String connection) {
        Known known = open.get(connection);
        if (known != null) {
            return Optional.of(known);
        }
        synchronized (closed) {
            return Optional.ofNullable(closed.get(connection));
        }
    }

    /** Local knowledge goes in at once, without waiting for the event's round trip through Kafka. */
    public void opened(String connection, String user, String instance, long openedAt) {
        open.put(connection, new Known(connection, user, instance, openedAt, true));
    }

    public void closed(String connection) {
        Known known = open.remove(connection);
        synchronized (closed) {
            closed.put(connection, known != null
                    ? new Known(connection, known.user(), known.instance(),
                            known.openedAt(), false)
                    : new Known(connection, null, null, 0, false));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        JsonNode event;
        try {
            event = json.readTree(record.value());
        } catch (Exception e) {
            return;
        }
        if (event == null) {
            return;
        }
        String connection = event.path("connection").asText(null);
        if (connection == null) {
            return;
        }
        switch (event.path("event").asText()) {
            case "connected" -> {
                boolean alreadyClosed;
                synchronized (closed) {
                    alreadyClosed = closed.containsKey(connection);
                }
                if (!alreadyClosed) {
                    opened(connection, event.path("user").asText(), event.path("instance").asText(),
                            event.path("openedAt").asLong(event.path("timestamp").asLong()));
                }
            }
            case "disconnected" -> closed(connection);
            default -> {
                // Unknown event types are for other consumers.
            }
        }
    }
}
