package io.passerelle.direct;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.ProcessProbes;

/**
 * What a replica holds grows with its own connections, not with the cluster's: one started after 200,000 lifecycle
 * records of other replicas needs no more memory than one started on an empty lifecycle topic.
 */
class ReplicaMemoryIT {

    private static final int OTHER_CONNECTIONS = 200_000;
    private static final long BOUND_BYTES = 50L * 1024 * 1024;
    /** The heap held for 200,000 connections elsewhere, when a replica kept them, was about 55 MB. */
    private static final long HEAP_BOUND_BYTES = 10L * 1024 * 1024;

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
        CompletableFuture<long[]> onNothingStart = CompletableFuture.supplyAsync(() -> memoryAfterReady(empty));
        long[] afterTheCluster = memoryAfterReady(full);
        long[] onNothing = onNothingStart.join();
        System.out.printf("Replica memory: %d MB resident and %d MB of heap after GC after an empty lifecycle topic, "
                + "%d and %d MB after %d lifecycle records of other replicas%n", onNothing[0] >> 20,
                onNothing[1] >> 20, afterTheCluster[0] >> 20, afterTheCluster[1] >> 20, OTHER_CONNECTIONS);
        assertTrue(afterTheCluster[1] - onNothing[1] < HEAP_BOUND_BYTES, "no heap held for other replicas");
        assertTrue(afterTheCluster[0] - onNothing[0] < BOUND_BYTES, "within 50 MB of a start on an empty topic");
    }

    /**
     * Ten seconds after ready: resident bytes and heap bytes, right after a full collection (which also returns what
     * the heap does not need, so that two JVMs' figures compare what they hold, not when they last collected).
     */
    private static long[] memoryAfterReady(String lifecycleTopic) {
        try (GatewayProcess replica = GatewayProcess.start(Map.of("passerelle.lifecycle.topic", lifecycleTopic))) {
            Thread.sleep(10_000);
            long heap = ProcessProbes.heapAfterGc(replica.pid());
            return new long[]{ProcessProbes.residentBytes(replica.pid()), heap};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
