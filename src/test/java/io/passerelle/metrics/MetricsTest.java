package io.passerelle.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.RawWebSocket;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** The Prometheus metrics after real traffic. */
@QuarkusTest
class MetricsTest extends GatewayTestBase {

    /** Every sample of the scrape, keyed by its name and labels exactly as exposed. */
    private static Map<String, Double> scrape() {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new HashMap<>();
        for (String line : body.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static double value(Map<String, Double> samples, String name, String... labels) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> List.of(labels).stream().allMatch(l -> e.getKey().contains(l)))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    @Test
    void trafficShowsUpInTheMetrics() throws Exception {
        Map<String, Double> before = scrape();
        String topic = KafkaTestBroker.createTopic("metered", 1);
        assertThrows(TestSocket.UpgradeRefused.class, () -> TestSocket.connect(ws(), "not-a-token"));
        try (TestSocket socket = connect("metered", topic)) {
            subscribeAndWait(socket, "s", topic, "");
            for (int i = 0; i < 5; i++) {
                socket.send("{\"type\":\"publish\",\"id\":\"p" + i + "\",\"channel\":\"" + topic + "\",\"data\":" + i
                        + "}");
            }
            socket.events(5);
            socket.send("{\"type\":\"publish\",\"id\":\"f\",\"channel\":\"elsewhere\",\"data\":1}");
            assertEquals("forbidden", socket.answerTo("f").get("code").asText());
            socket.send("garbage");
            socket.next();
            assertEquals(1.0, scrape().get("passerelle_connections_open") - before.getOrDefault(
                    "passerelle_connections_open", 0.0), 0.0001);
        }
        String expiring = TestTokens.shortLivedToken("expiring", List.of("x"), List.of("x"), Duration.ofSeconds(3));
        try (TestSocket socket = TestSocket.connect(ws(), expiring)) {
            assertEquals(4401, socket.awaitClose());
        }
        try (RawWebSocket socket = RawWebSocket.connect(ws(), TestTokens.token("not-utf8", List.of("x"), List.of()))) {
            socket.sendText(new byte[]{'"', (byte) 0xFF, '"'});
            assertEquals(1007, socket.receive().closeCode());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<String, Double> after;
        do {
            after = scrape();
        } while ((delta(before, after, "passerelle_connections_closed_total", "code=\"4401\"") < 1
                || delta(before, after, "passerelle_connections_closed_total", "code=\"1007\"") < 1)
                && System.nanoTime() < deadline);

        assertTrue(delta(before, after, "passerelle_connections_opened_total") >= 2);
        assertTrue(delta(before, after, "passerelle_connections_closed_total", "code=\"1000\"") >= 1);
        assertTrue(delta(before, after, "passerelle_connections_closed_total", "code=\"4401\"") >= 1);
        assertTrue(delta(before, after, "passerelle_connections_closed_total", "code=\"1007\"") >= 1);
        assertTrue(delta(before, after, "passerelle_connections_token_expired_total") >= 1);
        assertTrue(delta(before, after, "passerelle_upgrades_rejected_total", "status=\"401\"") >= 1);
        assertTrue(delta(before, after, "passerelle_frames_received_total", "type=\"publish\"") >= 6);
        assertTrue(delta(before, after, "passerelle_frames_received_total", "type=\"subscribe\"") >= 1);
        assertTrue(delta(before, after, "passerelle_frames_received_total", "type=\"invalid\"") >= 1);
        assertTrue(delta(before, after, "passerelle_frames_sent_total", "type=\"ack\"") >= 5);
        assertTrue(delta(before, after, "passerelle_frames_sent_total", "type=\"event\"") >= 5);
        assertTrue(delta(before, after, "passerelle_frames_sent_total", "type=\"error\"") >= 2);
        assertTrue(delta(before, after, "passerelle_bytes_received_bytes_total") > 100);
        assertTrue(delta(before, after, "passerelle_bytes_sent_bytes_total") > 100);
        assertTrue(delta(before, after, "passerelle_publish_latency_seconds_count") >= 5);
        assertTrue(delta(before, after, "passerelle_publish_latency_seconds_bucket") > 0, "a histogram");
        assertTrue(delta(before, after, "passerelle_publish_errors_total", "code=\"forbidden\"") >= 1);
        assertTrue(delta(before, after, "passerelle_delivery_lag_seconds_count") >= 5);
        assertTrue(after.containsKey("passerelle_outbound_queued_frames"));
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("passerelle_connections_slow_consumer_total")));
        // Bounded cardinality: no user or connection id in any label.
        assertFalse(after.keySet().stream().anyMatch(k -> k.startsWith("passerelle_") && k.contains("metered")));
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name,
            String... labels) {
        return value(after, name, labels) - value(before, name, labels);
    }
}
