package io.passerelle.direct;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.passerelle.cluster.ReplicasConfig;
import io.passerelle.kafka.RecordPublisher;
import io.passerelle.kafka.TopicDirectory;
import io.quarkus.runtime.StartupEvent;

/**
 * Builds the Kafka clients and creates the gateway's own topics (outbox, lifecycle, replicas) when missing, at start but off
 * the start path. Failure is not fatal:
 * their readers wait until the topics exist.
 */
@ApplicationScoped
public class GatewayTopics {

    private static final Logger LOG = Logger.getLogger(GatewayTopics.class);

    /**
     * Heartbeats: compaction keeps one per replica; small segments keep what a starting replica reads small; a
     * week's retention forgets replicas long gone (a live one writes a fresh heartbeat every few seconds).
     */
    private static final Map<String, String> REPLICAS_TOPIC = Map.of("cleanup.policy", "compact,delete",
            "retention.ms", Long.toString(Duration.ofDays(7).toMillis()),
            "segment.ms", Long.toString(Duration.ofMinutes(10).toMillis()),
            "min.cleanable.dirty.ratio", "0.1");

    void create(@Observes StartupEvent start, OutboxConfig outbox, LifecycleConfig lifecycle, ReplicasConfig replicas,
            TopicsConfig topics, TopicDirectory directory, RecordPublisher publisher) {
        // Kafka clients take a while to build: they are made on another thread, off the start path, and ready
        // before the first socket needs them (readiness waits for Kafka anyway).
        CompletableFuture.runAsync(() -> {
            publisher.inFlight();
            if (topics.autoCreate()) {
                createTopics(Map.of(outbox.topic(), Map.of(), lifecycle.topic(), Map.of(), replicas.topic(),
                        REPLICAS_TOPIC), topics, directory);
            }
        });
    }

    private static void createTopics(Map<String, Map<String, String>> topicConfigs, TopicsConfig topics,
            TopicDirectory directory) {
        for (Map.Entry<String, Map<String, String>> entry : topicConfigs.entrySet()) {
            String topic = entry.getKey();
            directory.ensureTopic(topic, topics.partitions(), topics.replicationFactor(), entry.getValue())
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            LOG.warnf("Could not create topic %s (%s); create it yourself or check Kafka", topic,
                                    failure.getCause() != null ? failure.getCause().toString() : failure.toString());
                        }
                    });
        }
    }
}
