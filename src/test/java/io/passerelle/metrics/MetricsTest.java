package io.passerelle.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.Metrics;
import io.passerelle.testing.RawWebSocket;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** The Prometheus metrics after real traffic. */
@QuarkusTest
class MetricsTest extends GatewayTestBase {

    @Test
    void trafficShowsUpInTheMetrics() throws Exception {
        Metrics before = Metrics.scrape();
        String topic = KafkaTestBroker.createTopic("metered", 1);
        assertThrows(TestSocket.UpgradeRefused.class, () -> TestSocket.connect(ws(), "not-a-token"));
        try (TestSocket socket = connect("metered", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s", topic));
            for (int i = 0; i < 5; i++) {
                socket.send(Frame.publish("p" + i, topic, i));
            }
            socket.events(5);
            socket.send(Frame.publish("f", "elsewhere", 1));
            assertEquals("forbidden", socket.answerTo("f").get("code").asText());
            socket.send("garbage");
            socket.next();
            assertEquals(1.0, Metrics.scrape().value("passerelle_connections_open")
                    - before.value("passerelle_connections_open"), 0.0001);
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
        Metrics after;
        do {
            after = Metrics.scrape();
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
        assertTrue(after.has("passerelle_outbound_queued_frames"));
        assertTrue(after.has("passerelle_connections_slow_consumer_total"));
        // Bounded cardinality: no user or connection id in any label.
        assertFalse(after.anySample(key -> key.startsWith("passerelle_") && key.contains("metered")));
    }

    private static double delta(Metrics before, Metrics after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
