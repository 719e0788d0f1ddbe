package io.passerelle.kafka;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the gateway uses Kafka. Connection settings (bootstrap servers, security) are the standard {@code kafka.*}
 * client properties, shared by the producer, the readers and the health check.
 */
@ConfigMapping(prefix = "passerelle.kafka")
public interface KafkaGatewayConfig {

    /** Longest a publish may wait for Kafka before it is answered {@code unavailable}. */
    @WithDefault("10s")
    Duration publishTimeout();

    /** Longest the readiness probe waits for Kafka to answer before it reports DOWN. */
    @WithDefault("3s")
    Duration healthTimeout();

    /** Producer batching delay; small keeps acks fast, larger raises throughput. */
    @WithDefault("1ms")
    Duration producerLinger();

    /** Publishes waiting to be handed to the producer; beyond it a publish is answered {@code unavailable}. */
    @WithDefault("10000")
    int maxQueuedPublishes();

    /** Longest a subscription may wait for Kafka offsets before it is answered {@code unavailable}. */
    @WithDefault("15s")
    Duration subscribeTimeout();

    /**
     * Kafka consumers (each with its thread) that read every subscribed topic of this replica; topics are spread over
     * them. More gives a busy replica more parallel fan-out; each is one more connection to every broker.
     */
    @WithDefault("4")
    int readerThreads();

    /** How long a topic's shared reader stays open after its last subscriber left. */
    @WithDefault("30s")
    Duration readerLinger();

    /** How often a topic's reader looks for partitions added to its topic. */
    @WithDefault("30s")
    Duration partitionRefresh();

    /** Prefix of the Kafka group id of WebSocket consumer groups: {@code "group":"g1"} joins {@code <prefix>g1}. */
    @WithDefault("passerelle-ws-")
    String groupIdPrefix();

    /** Consumer-group subscriptions this replica holds at once (sharing one Kafka consumer per group and channel). */
    @WithDefault("1000")
    int maxGroupMembers();

    /** History reads (from earliest or given offsets) that may run at once; others wait their turn. */
    @WithDefault("8")
    int maxConcurrentCatchUps();
}
