package io.passerelle.direct;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;

/**
 * A replica killed with SIGKILL writes nothing more: the other replica reports its connections closed and writes
 * their {@code disconnected} events, with the default timeouts.
 */
class DeadReplicaIT {

    private static final Duration PROMISED = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One survivor, one replica killed and one paused at the same moment: the survivor reports the connections of
     * both closed and writes their events; the paused one, once it runs again, reads the verdict and stops.
     */
    @Test
    void aKilledReplicasConnectionsAreReportedClosedAndAPausedOneStopsOnItsVerdict() throws Exception {
        String admin = TestTokens.tokenWithRoles("operator", "gateway-admin");
        String doomedUser = "doomed-" + UUID.randomUUID().toString().substring(0, 8);
        String pausedUser = "paused-" + UUID.randomUUID().toString().substring(0, 8);
        try (GatewayProcess survivor = GatewayProcess.start(Map.of());
                GatewayProcess paused = GatewayProcess.start(Map.of());
                TestSocket onPaused = TestSocket.connect(paused.ws(),
                        TestTokens.token(pausedUser, List.of("x"), List.of("x")))) {
            GatewayProcess doomed = GatewayProcess.start(Map.of());
            List<TestSocket> sockets = new ArrayList<>();
            List<String> ids;
            String pausedId;
            try {
                for (int i = 0; i < 3; i++) {
                    sockets.add(TestSocket.connect(doomed.ws(),
                            TestTokens.token(doomedUser, List.of("x"), List.of("x"))));
                }
                ids = idsOn(doomed, doomedUser, admin);
                assertEquals(3, ids.size());
                pausedId = idsOn(paused, pausedUser, admin).get(0);
                for (String id : ids) {
                    given().auth().oauth2(admin).get(survivor.http("/connections/" + id)).then().statusCode(200);
                }
                doomed.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: it says nothing more
                signal("STOP", paused.pid()); // silent, not gone: a long pause, a partition
            } finally {
                sockets.forEach(TestSocket::close);
                doomed.close();
            }
            long killedAt = System.nanoTime();

            List<String> all = new ArrayList<>(ids);
            all.add(pausedId);
            for (String id : all) {
                while (given().auth().oauth2(admin).get(survivor.http("/connections/" + id)).statusCode() != 410) {
                    assertTrue(System.nanoTime() - killedAt < PROMISED.toNanos(), "reported closed within 60 s");
                    Thread.sleep(250);
                }
            }
            long reportedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertEquals(0, given().auth().oauth2(admin).queryParam("user", doomedUser)
                    .get(survivor.http("/connections")).then().statusCode(200).extract().jsonPath().getList("id")
                    .size(), "listed nowhere");

            Set<String> reported = Set.of();
            while (!reported.containsAll(all)) {
                assertTrue(System.nanoTime() - killedAt < PROMISED.toNanos(), "disconnected events within 60 s");
                reported = disconnected(all);
                Thread.sleep(250);
            }
            System.out.printf("Dead replica: its %d connections reported closed %d ms after the SIGKILL, their "
                    + "disconnected events written %d ms after it%n", ids.size(), reportedMillis,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));

            signal("CONT", paused.pid());
            assertTrue(paused.process().waitFor(30, TimeUnit.SECONDS), "the replica stops once it reads the verdict");
            assertEquals(1001, onPaused.awaitClose(), "its clients are told to reconnect elsewhere");
        }
    }

    private static List<String> idsOn(GatewayProcess replica, String user, String admin) {
        return given().auth().oauth2(admin).queryParam("user", user).queryParam("scope", "replica")
                .get(replica.http("/connections")).then().statusCode(200).extract().jsonPath()
                .getList("id", String.class);
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor());
    }

    /** The connections among {@code ids} that have a disconnected event reported by another replica. */
    private static Set<String> disconnected(List<String> ids) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.readAll("passerelle.connections",
                Integer.MAX_VALUE, Duration.ofSeconds(2));
        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            events.add(JSON.readTree(record.value()));
        }
        return events.stream()
                .filter(event -> event.path("event").asText().equals("disconnected")
                        && ids.contains(event.path("connection").asText()))
                .peek(event -> {
                    assertEquals(1006, event.path("code").asInt());
                    assertTrue(event.hasNonNull("reportedBy"));
                })
                .map(event -> event.path("connection").asText()).collect(Collectors.toSet());
    }
}
