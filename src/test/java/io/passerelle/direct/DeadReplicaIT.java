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

    @Test
    void theConnectionsOfAKilledReplicaAreReportedClosedWithinAMinute() throws Exception {
        String user = "doomed-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.tokenWithRoles("operator", "gateway-admin");
        try (GatewayProcess survivor = GatewayProcess.start(Map.of())) {
            GatewayProcess doomed = GatewayProcess.start(Map.of());
            List<TestSocket> sockets = new ArrayList<>();
            List<String> ids;
            try {
                for (int i = 0; i < 3; i++) {
                    sockets.add(TestSocket.connect(doomed.ws(), TestTokens.token(user, List.of("x"), List.of("x"))));
                }
                ids = given().auth().oauth2(admin).queryParam("user", user).queryParam("scope", "replica")
                        .get(doomed.http("/connections")).then().statusCode(200).extract().jsonPath()
                        .getList("id", String.class);
                assertEquals(3, ids.size());
                for (String id : ids) {
                    given().auth().oauth2(admin).get(survivor.http("/connections/" + id)).then().statusCode(200);
                }
                doomed.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: it says nothing more
            } finally {
                sockets.forEach(TestSocket::close);
                doomed.close();
            }
            long killedAt = System.nanoTime();

            for (String id : ids) {
                while (given().auth().oauth2(admin).get(survivor.http("/connections/" + id)).statusCode() != 410) {
                    assertTrue(System.nanoTime() - killedAt < PROMISED.toNanos(), "reported closed within 60 s");
                    Thread.sleep(250);
                }
            }
            long reportedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertEquals(0, given().auth().oauth2(admin).queryParam("user", user).get(survivor.http("/connections"))
                    .then().statusCode(200).extract().jsonPath().getList("id").size(), "listed nowhere");

            Set<String> reported = Set.of();
            while (!reported.containsAll(ids)) {
                assertTrue(System.nanoTime() - killedAt < PROMISED.toNanos(), "disconnected events within 60 s");
                reported = disconnected(ids);
                Thread.sleep(250);
            }
            System.out.printf("Dead replica: its %d connections reported closed %d ms after the SIGKILL, their "
                    + "disconnected events written %d ms after it%n", ids.size(), reportedMillis,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        }
    }

    @Test
    void aReplicaReportedDeadAfterAPauseStopsAndItsClientsAreToldToReconnect() throws Exception {
        String user = "paused-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = TestTokens.tokenWithRoles("operator", "gateway-admin");
        try (GatewayProcess survivor = GatewayProcess.start(Map.of());
                GatewayProcess paused = GatewayProcess.start(Map.of());
                TestSocket socket = TestSocket.connect(paused.ws(),
                        TestTokens.token(user, List.of("x"), List.of("x")))) {
            String id = given().auth().oauth2(admin).queryParam("user", user).queryParam("scope", "replica")
                    .get(paused.http("/connections")).then().statusCode(200).extract().jsonPath().getString("[0].id");
            signal("STOP", paused.pid()); // silent, not gone: a long pause, a partition
            long stoppedAt = System.nanoTime();
            while (given().auth().oauth2(admin).get(survivor.http("/connections/" + id)).statusCode() != 410) {
                assertTrue(System.nanoTime() - stoppedAt < PROMISED.toNanos(), "reported dead within 60 s");
                Thread.sleep(250);
            }
            while (disconnected(List.of(id)).isEmpty()) {
                assertTrue(System.nanoTime() - stoppedAt < PROMISED.toNanos(), "its disconnected event written");
            }
            signal("CONT", paused.pid());
            assertTrue(paused.process().waitFor(30, TimeUnit.SECONDS), "the replica stops once it reads the verdict");
            assertEquals(1001, socket.awaitClose(), "its clients are told to reconnect elsewhere");
        }
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
