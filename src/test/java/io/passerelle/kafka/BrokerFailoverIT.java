package io.passerelle.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;

import io.passerelle.client.Event;
import io.passerelle.client.PasserelleClient;
import io.passerelle.client.PasserelleException;
import io.passerelle.client.PublishOptions;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestTokens;

/**
 * A three-broker cluster (replication factor 3, min.insync.replicas 2) loses the leader of a partition while a
 * client publishes every 5 ms and two subscribe through the packaged gateway. No acked record is lost, none is in
 * Kafka twice (idempotent producer), each subscriber receives every record once and in partition order, and the
 * publishes that fail are answered {@code unavailable}. Prints the figures.
 */
class BrokerFailoverIT {

    private static final String TOPIC = "failover";
    private static final long PACE = TimeUnit.MILLISECONDS.toNanos(5);

    @Test
    void theLeaderOfAPartitionStopsAndNothingIsLostOrRepeated() throws Exception {
        KafkaTestBroker.guardExits();
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(false).setNumBrokerNodes(3)
                .setNumControllerNodes(1).setBootstrapMetadataVersion(MetadataVersion.latestProduction()).build();
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "3")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false").build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
                run(cluster, admin, bootstrap);
            }
        }
    }

    private void run(KafkaClusterTestKit cluster, Admin admin, String bootstrap) throws Exception {
        List<PasserelleClient> clients = new ArrayList<>();
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("kafka.bootstrap.servers", bootstrap,
                "passerelle.limits.publish-rate", "1000", "passerelle.limits.publish-burst", "1000",
                "passerelle.kafka.publish-timeout", "3s"))) {
            String token = TestTokens.token("failover-user", List.of(TOPIC), List.of(TOPIC));
            List<List<Event>> received = List.of(Collections.synchronizedList(new ArrayList<>()),
                    Collections.synchronizedList(new ArrayList<>()));
            for (List<Event> events : received) {
                PasserelleClient subscriber = client(gateway, token, clients);
                subscriber.subscribe(TOPIC, events::add).get(30, TimeUnit.SECONDS);
            }
            PasserelleClient publisher = client(gateway, token, clients);
            publisher.connect().get(30, TimeUnit.SECONDS);

            Set<String> acked = ConcurrentHashMap.newKeySet();
            ConcurrentSkipListSet<Long> ackTimes = new ConcurrentSkipListSet<>();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            List<CompletableFuture<?>> publishes = new ArrayList<>();
            int stoppedBroker = -1;
            long stoppedAt = 0;
            long start = System.nanoTime();
            for (int i = 0; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10); i++) {
                if (stoppedBroker < 0 && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(2)) {
                    stoppedBroker = leaderOfPartitionZero(admin);
                    stoppedAt = System.nanoTime();
                    int broker = stoppedBroker;
                    new Thread(() -> cluster.brokers().get(broker).shutdown(), "stop-broker").start();
                }
                String value = Integer.toString(i);
                publishes.add(publisher.publish(TOPIC, value, PublishOptions.create().key("k" + i))
                        .whenComplete((ack, error) -> {
                            if (error == null) {
                                acked.add(value);
                                ackTimes.add(System.nanoTime());
                            } else {
                                Throwable cause = error.getCause() != null ? error.getCause() : error;
                                failures.merge(cause instanceof PasserelleException
                                        ? ((PasserelleException) cause).code()
                                        : cause.toString(), 1, Integer::sum);
                            }
                        }));
                LockSupport.parkNanos(start + (i + 1) * PACE - System.nanoTime()); // one every 5 ms
            }
            for (CompletableFuture<?> publish : publishes) {
                publish.handle((ok, error) -> null).get(60, TimeUnit.SECONDS);
            }

            List<ConsumerRecord<byte[], byte[]>> inKafka = readAll(bootstrap);
            List<String> values = inKafka.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .collect(Collectors.toList());
            assertEquals(values.size(), Set.copyOf(values).size(), "no record is in Kafka twice");
            Set<String> written = values.stream().map(json -> json.substring(1, json.length() - 1))
                    .collect(Collectors.toSet());
            assertTrue(written.containsAll(acked), "every acked publish is in Kafka");
            assertTrue(failures.keySet().stream().allMatch("unavailable"::equals),
                    "failures are answered unavailable: " + failures);

            Map<Integer, List<Long>> expected = new TreeMap<>();
            inKafka.forEach(r -> expected.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.offset()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (List<Event> events : received) {
                while (size(events) < inKafka.size() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(500);
                Map<Integer, List<Long>> positions = new TreeMap<>();
                synchronized (events) {
                    events.forEach(e -> positions.computeIfAbsent(e.partition(), p -> new ArrayList<>())
                            .add(e.offset()));
                }
                assertEquals(expected, positions, "each subscriber receives every record once, in partition order");
            }
            long longestGap = 0;
            Long previous = null;
            for (long at : ackTimes.tailSet(stoppedAt)) {
                longestGap = Math.max(longestGap, previous == null ? at - stoppedAt : at - previous);
                previous = at;
            }
            System.out.printf("Broker fail-over: leader %d of partition 0 stopped; %d publishes, %d acked, failed %s,"
                    + " %d in Kafka, none twice; longest pause between acks after the stop %d ms; each of 2"
                    + " subscribers received all %d once, in order%n", stoppedBroker, publishes.size(),
                    acked.size(), new TreeMap<>(failures), values.size(), TimeUnit.NANOSECONDS.toMillis(longestGap),
                    values.size());

            // Below min.insync.replicas: a second broker stops, and every publish is answered unavailable.
            int first = stoppedBroker;
            int second = cluster.brokers().keySet().stream().filter(id -> id != first).findFirst().orElseThrow();
            Thread stopping = new Thread(() -> cluster.brokers().get(second).shutdown(), "stop-second-broker");
            stopping.start();
            stopping.join(60_000);
            Map<String, Integer> refusals = new TreeMap<>();
            for (int i = 0; i < 10; i++) {
                try {
                    publisher.publish(TOPIC, "refused-" + i).get(60, TimeUnit.SECONDS);
                    refusals.merge("ack", 1, Integer::sum);
                } catch (ExecutionException e) {
                    refusals.merge(((PasserelleException) e.getCause()).code(), 1, Integer::sum);
                }
            }
            System.out.printf("Broker fail-over: with 1 of 3 brokers (min.insync.replicas 2), 10 publishes: %s%n",
                    refusals);
            assertEquals(Map.of("unavailable", 10), refusals);
        } finally {
            clients.forEach(PasserelleClient::close);
        }
    }

    private static int size(List<Event> events) {
        synchronized (events) {
            return events.size();
        }
    }

    private static PasserelleClient client(GatewayProcess gateway, String token, List<PasserelleClient> clients) {
        PasserelleClient client = PasserelleClient.builder(gateway.ws().toString()).token(token)
                .requestTimeout(Duration.ofSeconds(30)).maxPendingRequests(10_000).build();
        clients.add(client);
        return client;
    }

    private static int leaderOfPartitionZero(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC)
                .partitions().get(0).leader().id();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
