package io.passerelle.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.passerelle.kafka.InstanceId;
import io.passerelle.kafka.KafkaClientConfigs;
import io.passerelle.kafka.RecordPublisher;
import io.passerelle.kafka.TopicDirectory;
import io.passerelle.kafka.TopicTail;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.Startup;

/**
 * The replicas of the gateway, known from their heartbeats: one small record per replica and interval on a
 * compacted topic, so that what a replica holds grows with the number of replicas, never with their connections.
 * <p>
 * Threads: the heartbeat thread writes this replica's heartbeat and judges the others; the reader thread applies the
 * heartbeats read. A replica not heard of for {@link ReplicasConfig#timeout()} is dead, and the listeners hear of it
 * at every beat, on the heartbeat thread, until someone reports it ended. A replica that reads that it was reported dead stops: the cluster has closed its
 * connections.
 */
@Startup
@ApplicationScoped
public class ReplicaDirectory {

    private static final Logger LOG = Logger.getLogger(ReplicaDirectory.class);

    private final ConnectionIds ids;
    private final String instance;
    private final RecordPublisher publisher;
    private final TopicDirectory topics;
    private final KafkaClientConfigs configs;
    private final ReplicasConfig config;
    private final ObjectMapper json;
    private final long startedAt = System.currentTimeMillis();
    private final Map<String, Replica> replicas = new ConcurrentHashMap<>();
    private final Set<String> judgedDead = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Replica>> deathListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService heartbeat;
    private TopicTail tail;
    private volatile boolean left;
    /** When this replica last read its own heartbeat back, and since when it has done so without a gap. */
    private volatile long ownHeardAt;
    private volatile long seeingSince;

    public ReplicaDirectory(ConnectionIds ids, InstanceId instance, RecordPublisher publisher, TopicDirectory topics,
            KafkaClientConfigs configs, ReplicasConfig config, ObjectMapper json) {
        this.topics = topics;
        this.ids = ids;
        this.instance = instance.value();
        this.publisher = publisher;
        this.configs = configs;
        this.config = config;
        this.json = json;
    }

    @PostConstruct
    void start() {
        replicas.put(ids.tag(), self(startedAt, false));
        // Read from the start: compaction keeps one record per replica, plus the heartbeats of the active segment.
        tail = new TopicTail("replicas-reader", config.topic(),
                () -> new KafkaConsumer<>(configs.reader("replicas")), Instant.EPOCH, this::apply);
        tail.start();
        heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "passerelle-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, 0, interval, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        leave();
        heartbeat.shutdownNow();
        tail.stop();
    }

    /** Tells the other replicas that this one stopped; its connections were closed (and reported) before. */
    public void leave() {
        if (left) {
            return;
        }
        left = true;
        write(self(System.currentTimeMillis(), true), null);
    }

    /** Reports a dead replica as ended, so that no other replica reports its connections again. */
    public void reportEnded(Replica dead) {
        Replica ended = new Replica(dead.tag(), dead.instance(), dead.startedAt(), dead.heardAt(), true);
        replicas.put(dead.tag(), ended);
        write(ended, instance);
    }

    /** This replica's tag. */
    public String self() {
        return ids.tag();
    }

    public Optional<Replica> find(String tag) {
        return Optional.ofNullable(replicas.get(tag));
    }

    /** True when the replica is heard of and has neither ended nor gone silent. */
    public boolean isLive(Replica replica) {
        return !replica.ended() && !judgedDead.contains(replica.tag())
                && System.currentTimeMillis() - replica.heardAt() <= config.timeout().toMillis();
    }

    /** The replicas alive now, this one included. */
    public List<Replica> live() {
        return replicas.values().stream().filter(this::isLive).toList();
    }

    /** Called at every heartbeat for each dead replica not yet reported ended, on the heartbeat thread. */
    public void onDeath(Consumer<Replica> listener) {
        deathListeners.add(listener);
    }

    private Replica self(long heardAt, boolean ended) {
        return new Replica(ids.tag(), instance, startedAt, heardAt, ended);
    }

    private void beat() {
        try {
            if (!left && topicExists()) {
                Replica self = self(System.currentTimeMillis(), false);
                replicas.put(self.tag(), self);
                write(self, null);
            }
            judge();
        } catch (RuntimeException e) {
            LOG.warnf("A heartbeat failed: %s", e.toString());
        }
    }

    /**
     * Written only once the topic exists: a producer's first write to a missing topic may have the broker create it
     * with its defaults, not compacted.
     */
    private boolean topicExists() {
        try {
            return topics.partitionCount(config.topic()).toCompletableFuture()
                    .get(config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS) > 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A replica silent for the timeout is dead, but only when this one sees the topic: its own heartbeats come back,
     * and have for a whole timeout, so that a Kafka outage, or the end of one, kills nobody.
     */
    private void judge() {
        long now = System.currentTimeMillis();
        long timeout = config.timeout().toMillis();
        if (now - ownHeardAt > 2 * config.heartbeatInterval().toMillis() || now - seeingSince <= timeout) {
            return;
        }
        for (Replica replica : replicas.values()) {
            if (replica.tag().equals(ids.tag()) || replica.ended() || now - replica.heardAt() <= timeout) {
                continue;
            }
            if (judgedDead.add(replica.tag())) {
                LOG.infof("Replica %s (%s) was last heard of %d ms ago: its connections are closed", replica.tag(),
                        replica.instance(), now - replica.heardAt());
            }
            // Told at every beat until the replica is reported ended: whoever should report it may change.
            for (Consumer<Replica> listener : deathListeners) {
                listener.accept(replica);
            }
        }
    }

    /** This replica's own heartbeat, read back: proof that it sees the topic. */
    private void heardItself(JsonNode value) {
        long now = System.currentTimeMillis();
        if ("ended".equals(value.path("state").asText())) {
            if (!left && value.hasNonNull("reportedBy")) {
                // Silent for longer than the timeout (a pause, a partition): the cluster closed its connections.
                LOG.errorf("This replica was reported dead by %s: it stops, so that its clients reconnect to a "
                        + "replica the cluster knows", value.path("reportedBy").asText());
                Quarkus.asyncExit(1);
            }
            return;
        }
        if (now - ownHeardAt > 2 * config.heartbeatInterval().toMillis()) {
            seeingSince = now;
        }
        ownHeardAt = now;
    }

    private void write(Replica replica, String reportedBy) {
        ObjectNode value = json.createObjectNode().put("replica", replica.tag()).put("instance", replica.instance())
                .put("startedAt", replica.startedAt()).put("heardAt", replica.heardAt())
                .put("state", replica.ended() ? "ended" : "alive");
        if (reportedBy != null) {
            value.put("reportedBy", reportedBy);
        }
        publisher.publish(new ProducerRecord<>(config.topic(), replica.tag().getBytes(StandardCharsets.UTF_8),
                value.toString().getBytes(StandardCharsets.UTF_8))).whenComplete((metadata, failure) -> {
                    if (failure != null) {
                        LOG.debugf("A heartbeat was not written: %s", failure.toString());
                    }
                });
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        String tag = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            replicas.remove(tag);
            return;
        }
        JsonNode value;
        try {
            value = json.readTree(record.value());
        } catch (Exception e) {
            return;
        }
        if (tag.equals(ids.tag())) {
            heardItself(value);
            return;
        }
        boolean ended = "ended".equals(value.path("state").asText());
        long heardAt = value.path("heardAt").asLong(record.timestamp());
        replicas.merge(tag, new Replica(tag, value.path("instance").asText(""), value.path("startedAt").asLong(),
                heardAt, ended),
                (known, heard) -> known.ended()
                        ? known
                        : heard.heardAt() >= known.heardAt()
                                ? heard
                                : known);
        if (!ended && System.currentTimeMillis() - heardAt <= config.timeout().toMillis()) {
            judgedDead.remove(tag);
        }
    }
}
