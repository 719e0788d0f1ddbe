package io.passerelle.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.passerelle.client.ConnectionState;
import io.passerelle.client.Event;
import io.passerelle.client.PasserelleClient;
import io.passerelle.client.PasserelleException;
import io.passerelle.client.PublishOptions;
import io.passerelle.testing.Await;
import io.passerelle.testing.FailoverProxy;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestTokens;

/**
 * SIGKILL one of two replicas while its clients publish (every 5 ms) and subscribe, behind a proxy that sends new
 * connections to a replica that is alive (as a Kubernetes Service does). The clients reconnect to the other replica
 * by themselves: every acked publish is in Kafka, no record is in Kafka twice, and each subscriber receives every
 * record of the topic once, in partition order. Prints the figures.
 */
class ReplicaCrashIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long PACE = TimeUnit.MILLISECONDS.toNanos(5);

    @Test
    void aReplicaKilledUnderLoadLosesNothingItsClientsResumeOnTheOther() throws Exception {
        String topic = KafkaTestBroker.createTopic("crash", 3);
        Map<String, String> config = Map.of("passerelle.limits.publish-rate", "1000",
                "passerelle.limits.publish-burst", "1000");
        GatewayProcess doomed = GatewayProcess.start(config);
        List<PasserelleClient> clients = new ArrayList<>();
        try (GatewayProcess survivor = GatewayProcess.start(config);
                FailoverProxy proxy = FailoverProxy.start(List.of(doomed.port(), survivor.port()))) {
            String token = TestTokens.token("crash-user", List.of(topic), List.of(topic));
            List<Inbox<Event>> subscribers = List.of(new Inbox<>(), new Inbox<>());
            for (Inbox<Event> inbox : subscribers) {
                PasserelleClient subscriber = client(proxy, token, clients);
                subscriber.subscribe(topic, inbox).get(30, TimeUnit.SECONDS);
            }
            PasserelleClient publisher = client(proxy, token, clients);
            publisher.connect().get(30, TimeUnit.SECONDS);

            Set<String> acked = ConcurrentHashMap.newKeySet();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            AtomicLong firstAckAfterKill = new AtomicLong();
            List<CompletableFuture<?>> publishes = new ArrayList<>();
            long killedAt = 0;
            long start = System.nanoTime();
            for (int i = 0; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6); i++) {
                if (killedAt == 0 && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(2)) {
                    doomed.process().destroyForcibly(); // SIGKILL: no drain, no close frame
                    killedAt = System.nanoTime();
                }
                String value = Integer.toString(i);
                boolean afterKill = killedAt != 0;
                publishes.add(publisher.publish(topic, value, PublishOptions.create().key("k" + i))
                        .whenComplete((ack, error) -> {
                            if (error == null) {
                                acked.add(value);
                                if (afterKill) {
                                    firstAckAfterKill.compareAndSet(0, System.nanoTime());
                                }
                            } else {
                                Throwable cause = error.getCause() != null ? error.getCause() : error;
                                String code = cause instanceof PasserelleException
                                        ? ((PasserelleException) cause).code()
                                        : cause.toString();
                                failures.merge(code, 1, Integer::sum);
                            }
                        }));
                LockSupport.parkNanos(start + (i + 1) * PACE - System.nanoTime()); // one every 5 ms
            }
            for (CompletableFuture<?> publish : publishes) {
                publish.handle((ok, error) -> null).get(30, TimeUnit.SECONDS);
            }
            for (PasserelleClient client : clients) {
                Await.until("every client is connected again", WAIT, () -> client.state() == ConnectionState.OPEN);
            }

            // Everything the topic holds: the acked records and those written whose ack was lost with the replica.
            List<ConsumerRecord<byte[], byte[]>> inKafka = KafkaTestBroker.readAll(topic, Integer.MAX_VALUE,
                    Duration.ofSeconds(5));
            List<String> values = inKafka.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .map(json -> json.substring(1, json.length() - 1)).collect(Collectors.toList());
            Set<String> distinct = Set.copyOf(values);
            assertEquals(values.size(), distinct.size(), "no record is in Kafka twice");
            assertTrue(distinct.containsAll(acked), "every acked publish is in Kafka");

            Map<Integer, List<Long>> expected = positions(inKafka.stream()
                    .map(r -> new long[]{r.partition(), r.offset()}).collect(Collectors.toList()));
            for (Inbox<Event> inbox : subscribers) {
                inbox.await(inKafka.size(), WAIT);
                List<Event> received = inbox.settle(Duration.ofMillis(500));
                assertEquals(expected, positions(received.stream()
                        .map(e -> new long[]{e.partition(), e.offset()}).collect(Collectors.toList())),
                        "each subscriber receives every record once, in partition order");
            }
            long recoveryMillis = firstAckAfterKill.get() == 0
                    ? -1
                    : TimeUnit.NANOSECONDS.toMillis(firstAckAfterKill.get() - killedAt);
            System.out.printf("Replica crash: %d publishes sent, %d acked, failed %s, %d in Kafka (%d written but not"
                    + " acked); first ack %d ms after the SIGKILL; each of 2 subscribers received all %d once, in"
                    + " order%n", publishes.size(), acked.size(), new TreeMap<>(failures), values.size(),
                    values.size() - acked.size(), recoveryMillis, values.size());
            assertTrue(recoveryMillis > 0 && acked.size() > publishes.size() / 2, "publishing resumed");
        } finally {
            clients.forEach(PasserelleClient::close);
            doomed.close();
        }
    }

    private static PasserelleClient client(FailoverProxy proxy, String token, List<PasserelleClient> clients) {
        PasserelleClient client = PasserelleClient.builder(proxy.ws().toString()).token(token)
                .maxPendingRequests(10_000).build();
        clients.add(client);
        return client;
    }

    /** Partition to its offsets, in the order given. */
    private static Map<Integer, List<Long>> positions(List<long[]> records) {
        Map<Integer, List<Long>> positions = new TreeMap<>();
        for (long[] record : records) {
            positions.computeIfAbsent((int) record[0], p -> new ArrayList<>()).add(record[1]);
        }
        return positions;
    }
}
