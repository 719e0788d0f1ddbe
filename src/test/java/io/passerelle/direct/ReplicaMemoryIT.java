package io.passerelle.direct;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;

/**
 * What a replica holds grows with its own connections, not with the cluster's: one started after 200,000 lifecycle
 * records of other replicas needs no more memory than one started on an empty lifecycle topic.
 */
class ReplicaMemoryIT {

    private static final int OTHER_CONNECTIONS = 200_000;
    private static final long BOUND_BYTES = 50L * 1024 * 1024;

    @Test
    void aReplicaStartedAfterTheClustersLifecycleHoldsNoMoreThanOneStartedOnNothing() throws Exception {
        String empty = KafkaTestBroker.createTopic("lifecycle-empty", 3);
        String full = KafkaTestBroker.createTopic("lifecycle-full", 3);
        try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
            for (int i = 0; i < OTHER_CONNECTIONS; i++) {
                String user = "user-" + (i % 20_000);
                String replica = String.format("%08x", i % 50);
                producer.send(new ProducerRecord<>(full, user, "{\"event\":\"connected\",\"user\":\"" + user
                        + "\",\"connection\":\"" + replica + UUID.randomUUID().toString().substring(8)
                        + "\",\"instance\":\"gw-" + replica + "\",\"timestamp\":" + System.currentTimeMillis()
                        + ",\"openedAt\":" + System.currentTimeMillis() + ",\"remoteAddress\":\"10.0.0.1:5000\"}"));
            }
            producer.flush();
        }
        // Both at once, on the same machine and the same broker.
        CompletableFuture<Long> onNothingStart = CompletableFuture.supplyAsync(() -> residentBytesAfterReady(empty));
        long afterTheCluster = residentBytesAfterReady(full);
        long onNothing = onNothingStart.join();
        System.out.printf("Replica memory: %d MB resident after an empty lifecycle topic, %d MB after %d lifecycle"
                + " records of other replicas%n", onNothing >> 20, afterTheCluster >> 20, OTHER_CONNECTIONS);
        assertTrue(afterTheCluster - onNothing < BOUND_BYTES, "within 50 MB of a start on an empty topic");
    }

    /** Ten seconds after ready. */
    private static long residentBytesAfterReady(String lifecycleTopic) {
        try (GatewayProcess replica = GatewayProcess.start(Map.of("passerelle.lifecycle.topic", lifecycleTopic))) {
            Thread.sleep(10_000);
            return residentBytes(replica.pid());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
