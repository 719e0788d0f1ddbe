package io.passerelle.direct;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.passerelle.kafka.RecordPublisher;
import io.passerelle.kafka.TopicDirectory;
import io.quarkus.runtime.StartupEvent;

/**
 * Builds the Kafka clients and creates the gateway's own topics (outbox and lifecycle) when missing, at start but off
 * the start path. Failure is not fatal:
 * their readers wait until the topics exist.
 */
@ApplicationScoped
public class GatewayTopics {

    private static final Logger LOG = Logger.getLogger(GatewayTopics.class);

    void create(@Observes StartupEvent start, OutboxConfig outbox, LifecycleConfig lifecycle, TopicsConfig topics,
            TopicDirectory directory, RecordPublisher publisher) {
        // Kafka clients take a while to build: they are made on another thread, off the start path, and ready
        // before the first socket needs them (readiness waits for Kafka anyway).
        CompletableFuture.runAsync(() -> {
            publisher.inFlight();
            if (topics.autoCreate()) {
                createTopics(outbox, lifecycle, topics, directory);
            }
        });
    }

    private static void createTopics(OutboxConfig outbox, LifecycleConfig lifecycle, TopicsConfig topics,
            TopicDirectory directory) {
        for (String topic : List.of(outbox.topic(), lifecycle.topic())) {
            directory.ensureTopic(topic, topics.partitions(), topics.replicationFactor())
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            LOG.warnf("Could not create topic %s (%s); create it yourself or check Kafka", topic,
                                    failure.getCause() != null ? failure.getCause().toString() : failure.toString());
                        }
                    });
        }
    }
}
