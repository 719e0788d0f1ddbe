package io.passerelle.direct;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.cluster.ConnectionIds;
import io.passerelle.cluster.Replica;
import io.passerelle.cluster.ReplicaDirectory;
import io.passerelle.kafka.KafkaClientConfigs;
import io.quarkus.runtime.Startup;

/**
 * Writes the {@code disconnected} events a dead replica could not write. While a replica is dead and not reported
 * ended, the live replica with the smallest tag reads the lifecycle topic from the dead one's start, finds the
 * connections it opened and never closed, writes a {@code disconnected} event for each (code 1006, {@code reportedBy}
 * itself) and reports the replica ended, so that no other replica does it again. Should the reporter die first,
 * the next smallest takes over.
 * <p>
 * Threads: the work runs on a thread of its own, with a consumer made for it; what it holds is the dead replica's
 * open connections, never the cluster's.
 */
@Startup
@ApplicationScoped
public class DeadReplicas {

    private static final Logger LOG = Logger.getLogger(DeadReplicas.class);
    /** Read a little before the dead replica's start, for clocks that differ between hosts. */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration WRITE_WAIT = Duration.ofSeconds(30);

    private final ReplicaDirectory replicas;
    private final LifecycleEvents events;
    private final KafkaClientConfigs configs;
    private final ObjectMapper json;
    private final String topic;
    private ExecutorService worker;
    /** Dead replicas this one reports or reported: each once, unless the report failed. */
    private final Set<String> reporting = ConcurrentHashMap.newKeySet();

    public DeadReplicas(ReplicaDirectory replicas, LifecycleEvents events, KafkaClientConfigs configs,
            ObjectMapper json, LifecycleConfig lifecycle) {
        this.replicas = replicas;
        this.events = events;
        this.configs = configs;
        this.json = json;
        this.topic = lifecycle.topic();
    }

    @PostConstruct
    void start() {
        worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "passerelle-dead-replicas");
            thread.setDaemon(true);
            return thread;
        });
        replicas.onDeath(this::died);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** At every heartbeat while the replica is dead and not reported ended: the reporter is chosen anew each time. */
    private void died(Replica dead) {
        String reporter = replicas.live().stream().map(Replica::tag).min(String::compareTo).orElse(null);
        if (!replicas.self().equals(reporter) || !reporting.add(dead.tag())) {
            return;
        }
        worker.execute(() -> {
            try {
                report(dead);
            } catch (RuntimeException e) {
                LOG.warnf("The connections of dead replica %s (%s) could not be reported closed: %s", dead.tag(),
                        dead.instance(), e.toString());
                reporting.remove(dead.tag()); // tried again at a later beat
            }
        });
    }

    private void report(Replica dead) {
        Map<String, String> open = openConnectionsOf(dead);
        List<CompletableFuture<?>> written = new ArrayList<>();
        open.forEach((connection, user) -> written.add(
                events.disconnectedWithItsReplica(user, connection, dead.instance()).toCompletableFuture()));
        try {
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(WRITE_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            throw new IllegalStateException("some disconnected events were not written: " + e, e);
        }
        replicas.reportEnded(dead);
        LOG.infof("Dead replica %s (%s): %d connections reported closed", dead.tag(), dead.instance(), open.size());
    }

    /** The connections the replica opened and did not close, by id, with their users: one read of the lifecycle. */
    private Map<String, String> openConnectionsOf(Replica dead) {
        Map<String, String> open = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(configs.reader("dead-replicas"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> from = new HashMap<>();
            partitions.forEach(partition -> from.put(partition, dead.startedAt() - CLOCK_MARGIN.toMillis()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(from);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = found.get(partition);
                consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
            }
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        apply(record, dead.tag(), open);
                    }
                }
            }
        }
        return open;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, String tag, Map<String, String> open) {
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
        if (!tag.equals(ConnectionIds.replicaOf(connection))) {
            return;
        }
        switch (event.path("event").asText()) {
            case "connected" -> open.put(connection, event.path("user").asText());
            case "disconnected" -> open.remove(connection);
            default -> {
                // Other event types are for other consumers.
            }
        }
    }
}
