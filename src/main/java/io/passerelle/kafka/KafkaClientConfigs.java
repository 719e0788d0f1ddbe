package io.passerelle.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.smallrye.common.annotation.Identifier;

/**
 * Builds client properties: the user's {@code kafka.*} settings first, then what the gateway's guarantees need,
 * which the user cannot weaken: acks=all and idempotence for the producer, byte-array serdes, no auto-commit, and a
 * consumer group only for the group members of consumer-group subscriptions.
 */
@ApplicationScoped
public class KafkaClientConfigs {

    /** Keys of the {@code kafka.*} namespace that belong to Quarkus, not to the Kafka clients. */
    private static final Set<String> NON_CLIENT_PREFIXES = Set.of("devservices", "health", "snappy");

    private final Map<String, Object> common;
    private final KafkaGatewayConfig config;
    private final String instanceId;

    @Inject
    public KafkaClientConfigs(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            KafkaGatewayConfig config, InstanceId instanceId) {
        this.common = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (NON_CLIENT_PREFIXES.stream().noneMatch(key::startsWith)) {
                common.put(key, value);
            }
        });
        this.config = config;
        this.instanceId = instanceId.value();
    }

    public Map<String, Object> producer() {
        Map<String, Object> props = new HashMap<>(common);
        long timeout = config.publishTimeout().toMillis();
        long linger = config.producerLinger().toMillis();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "passerelle-" + instanceId + "-producer");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, timeout - linger)));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * A consumer that reads by assignment: it never joins a group and never commits. Its metadata is refreshed as
     * often as readers look for added partitions, which they learn of from that metadata (Kafka's default keeps it
     * five minutes).
     */
    public Map<String, Object> reader(String purpose) {
        Map<String, Object> props = new HashMap<>(common);
        props.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Long.toString(config.partitionRefresh().toMillis()));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "passerelle-" + instanceId + "-" + purpose);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(config.subscribeTimeout().toMillis()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** A member of a consumer group that commits only when told to. */
    public Map<String, Object> groupMember(String groupId, String offsetReset) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "passerelle-" + instanceId + "-group-" + groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(config.subscribeTimeout().toMillis()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    public Map<String, Object> admin() {
        Map<String, Object> props = new HashMap<>(common);
        props.put("client.id", "passerelle-" + instanceId + "-admin");
        return props;
    }
}
