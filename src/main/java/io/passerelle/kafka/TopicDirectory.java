package io.passerelle.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Knows which topics exist and how many partitions they have, so that a frame naming an unknown channel is
 * answered at once instead of blocking a Kafka client on metadata. Answers are cached for a short while.
 */
@ApplicationScoped
public class TopicDirectory {

    private static final long FRESHNESS_NANOS = Duration.ofSeconds(60).toNanos();

    private record Entry(int partitions, long checkedAtNanos) {
    }

    private final Admin admin;
    private final Map<String, Entry> known = new ConcurrentHashMap<>();

    public TopicDirectory(KafkaClientConfigs configs, KafkaGatewayConfig config) {
        Map<String, Object> props = configs.admin();
        String timeout = Long.toString(config.publishTimeout().toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        this.admin = Admin.create(props);
    }

    /** The topic's partition count when it was learnt recently, else 0: answered at once, for the common case. */
    public int knownPartitionCount(String topic, long nowNanos) {
        Entry entry = known.get(topic);
        return entry != null && nowNanos - entry.checkedAtNanos() < FRESHNESS_NANOS ? entry.partitions() : 0;
    }

    /** Completes with the topic's partition count, or 0 when the topic does not exist. */
    public CompletionStage<Integer> partitionCount(String topic) {
        int fresh = knownPartitionCount(topic, System.nanoTime());
        if (fresh > 0) {
            return CompletableFuture.completedFuture(fresh);
        }
        return admin.describeTopics(List.of(topic)).topicNameValues().get(topic).toCompletionStage()
                .handle((description, failure) -> {
                    if (failure == null) {
                        int partitions = description.partitions().size();
                        known.put(topic, new Entry(partitions, System.nanoTime()));
                        return partitions;
                    }
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        known.remove(topic);
                        return 0;
                    }
                    throw new CompletionException(cause);
                });
    }

    /** Creates the topic unless it exists; completes either way, exceptionally only when Kafka failed. */
    public CompletionStage<Void> ensureTopic(String topic, int partitions, short replicationFactor,
            Map<String, String> topicConfigs) {
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions),
                replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty()).configs(topicConfigs);
        return admin.createTopics(List.of(newTopic)).all().toCompletionStage().handle((ignored, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause == null || cause instanceof TopicExistsException) {
                return null;
            }
            throw new CompletionException(cause);
        });
    }

    /** The number of brokers in the cluster, asked with the given timeout. */
    public CompletableFuture<Integer> brokerCount(long timeoutMillis) {
        return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis)).nodes()
                .toCompletionStage().thenApply(Collection::size).toCompletableFuture();
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
