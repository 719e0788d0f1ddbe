package io.passerelle.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.AdminApi;
import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.Metrics;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DirectDeliveryTest extends GatewayTestBase {

    static void toOutbox(String header, String target, String value) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("trace", "t-1"));
        if (header != null) {
            headers.put(header, target);
        }
        KafkaTestBroker.produce("passerelle.outbox", "k", value, headers);
    }

    private static void assertNothingArrives(TestSocket socket) {
        List<JsonNode> frames = socket.drain(Duration.ofMillis(700));
        assertTrue(frames.isEmpty(), frames.toString());
    }

    @Test
    void aRecordForAUserReachesEverySocketOfThatUserAndNoOther() {
        try (TestSocket first = connect("ursula", "x");
                TestSocket second = connect("ursula", "x");
                TestSocket other = connect("victor", "x")) {
            toOutbox("passerelle-target-user", "ursula", "{\"note\":\"for ursula\"}");
            for (TestSocket socket : List.of(first, second)) {
                JsonNode message = socket.next();
                assertEquals("message", message.get("type").asText());
                assertEquals("for ursula", message.get("data").get("note").asText());
                assertEquals("k", message.get("key").asText());
                assertEquals("t-1", message.get("headers").get("trace").asText());
            }
            assertNothingArrives(other);
        }
    }

    @Test
    void aRecordForAConnectionReachesOnlyThatSocket() {
        try (TestSocket target = connect("wanda", "x"); TestSocket sibling = connect("xavier", "x")) {
            String id = AdminApi.connectionOf("wanda");
            toOutbox("passerelle-target-connection", id, "42");
            assertEquals(42, target.next().get("data").asInt());
            assertNothingArrives(sibling);
        }
    }

    @Test
    void recordsWithoutOrWithUnknownTargetsAreCountedAndDropped() {
        double before = metric("no_target");
        double beforeUnknown = metric("no_local_target");
        try (TestSocket socket = connect("yvonne", "x")) {
            toOutbox(null, null, "\"nobody\"");
            toOutbox("passerelle-target-user", "nobody-here", "\"lost\"");
            toOutbox("passerelle-target-connection", "not-a-connection", "\"lost\"");
            toOutbox("passerelle-target-user", "yvonne", "\"still delivered\"");
            assertEquals("still delivered", socket.next().get("data").asText());
        }
        assertEquals(before + 1, metric("no_target"));
        assertEquals(beforeUnknown + 2, metric("no_local_target"));
    }

    private static double metric(String result) {
        return Metrics.scrape().value("passerelle_outbox_records_total", "result=\"" + result + "\"");
    }

    @Test
    void aBackendAnswersARequestWithAReplyToThePublishId() throws Exception {
        String requests = KafkaTestBroker.createTopic("requests", 2);
        try (TestSocket socket = connect("zoe", requests)) {
            socket.send(Frame.publish("q-1", requests, Map.of("question", "6x7")).with("reply", true));
            assertEquals("ack", socket.answerTo("q-1").get("type").asText());

            // The backend: a plain consumer of the request topic and a plain producer to its reply-to topic.
            ConsumerRecord<byte[], byte[]> request = KafkaTestBroker.readAll(requests, 1, Duration.ofSeconds(20))
                    .get(0);
            Map<String, String> headers = new java.util.HashMap<>();
            request.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            assertEquals("passerelle.outbox", headers.get("passerelle-reply-to"));
            KafkaTestBroker.produce(headers.get("passerelle-reply-to"), null, "{\"answer\":42}",
                    Map.of("passerelle-target-connection", headers.get("passerelle-connection"),
                            "passerelle-correlation-id", headers.get("passerelle-correlation-id")));
            JsonNode reply = socket.next();
            assertEquals("reply", reply.get("type").asText(), reply.toString());
            assertEquals("q-1", reply.get("id").asText());
            assertEquals(42, reply.get("data").get("answer").asInt());
        }
    }

    @Test
    void everyOpenAndCloseIsPublishedKeyedByUser() throws Exception {
        String user = "lifecycle-" + System.nanoTime();
        String connection;
        try (TestSocket socket = connect(user, "x")) {
            connection = AdminApi.connectionOf(user);
        }
        List<ConsumerRecord<byte[], byte[]>> events = KafkaTestBroker.readAll("passerelle.connections", 100_000,
                Duration.ofSeconds(3)).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(user)).toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (events.size() < 2 && System.nanoTime() < deadline) {
            events = KafkaTestBroker.readAll("passerelle.connections", 100_000, Duration.ofSeconds(3)).stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(user)).toList();
        }
        assertEquals(2, events.size());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode connected = json.readTree(events.get(0).value());
        JsonNode disconnected = json.readTree(events.get(1).value());
        assertEquals(events.get(0).partition(), events.get(1).partition(), "ordered per user");
        assertEquals("connected", connected.get("event").asText());
        assertEquals(user, connected.get("user").asText());
        assertEquals(connection, connected.get("connection").asText());
        assertTrue(connected.get("instance").asText().startsWith("gw-"));
        assertTrue(connected.get("timestamp").asLong() > 0);
        assertEquals("disconnected", disconnected.get("event").asText());
        assertEquals(connection, disconnected.get("connection").asText());
        assertEquals(1000, disconnected.get("code").asInt());
        assertTrue(disconnected.has("reason"));
    }
}
