package io.passerelle.direct;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.passerelle.kafka.TopicDirectory;
import io.quarkus.runtime.StartupEvent;

/**
 * Creates the gateway's own topics (outbox and lifecycle) at start when they are missing. Failure is not fatal:
 * their readers wait until the topics exist.
 */
@ApplicationScoped
public class GatewayTopics {

    private static final Logger LOG = Logger.getLogger(GatewayTopics.class);

    void create(@Observes StartupEvent start, OutboxConfig outbox, LifecycleConfig lifecycle, TopicsConfig topics,
            TopicDirectory directory) {
        if (!topics.autoCreate()) {
            return;
        }
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
