package io.passerelle.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.RawWebSocket;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each limit, at the test profile's values: 50 publishes/s with bursts of 250 and a close after 50 refusals in a
 * row, 5 connections per user, 10 subscriptions per connection, 128 KiB of data, JSON depth 32, 256 KiB messages.
 */
@QuarkusTest
class LimitsTest extends GatewayTestBase {

    @Test
    void publishingFasterThanTheRateIsRefusedThenClosedWith4429() throws Exception {
        String topic = KafkaTestBroker.createTopic("flood", 1);
        try (RawWebSocket socket = RawWebSocket.connect(ws(), TestTokens.token("flooder", List.of(topic),
                List.of(topic)))) {
            socket.sendTexts(publishes("b", 200, topic));
            for (int acked = 0; acked < 200; acked++) {
                assertTrue(socket.receive().text().contains("\"type\":\"ack\""), "a burst within the bucket passes");
            }
            // A flood that arrives faster than the rate refills: refused, then the socket is closed.
            socket.sendTexts(publishes("f", 400, topic));
            int limited = 0;
            RawWebSocket.Received received;
            while (!(received = socket.receive()).isClose()) {
                if (received.text().contains("\"code\":\"rate_limited\"")) {
                    limited++;
                }
            }
            assertTrue(limited >= 1, "the excess is refused with rate_limited");
            assertEquals(4429, received.closeCode(), "sustained abuse closes the socket");
        }
    }

    private static List<byte[]> publishes(String prefix, int count, String topic) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(Frame.publish(prefix + i, topic, 1).toString().getBytes(StandardCharsets.UTF_8));
        }
        return frames;
    }

    @Test
    void aUserMayHoldOnlySoManyConnections() {
        List<TestSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                sockets.add(connect("greedy", "x"));
            }
            TestSocket.UpgradeRefused refused = assertThrows(TestSocket.UpgradeRefused.class,
                    () -> connect("greedy", "x"));
            assertEquals(429, refused.status());
            connect("someone-else", "x").close();
        } finally {
            sockets.forEach(TestSocket::close);
        }
    }

    @Test
    void subscriptionsPerConnectionAreBounded() {
        try (TestSocket socket = connect("collector", "limit-sub-*")) {
            for (int i = 0; i < 10; i++) {
                String topic = KafkaTestBroker.createTopic("limit-sub-" + i, 1);
                subscribeAndWait(socket, Frame.subscribe("s" + i, topic));
            }
            String eleventh = KafkaTestBroker.createTopic("limit-sub-x", 1);
            socket.send(Frame.subscribe("s10", eleventh));
            assertEquals("limit_exceeded", socket.answerTo("s10").get("code").asText());
        }
    }

    @Test
    void dataSizeAndJsonDepthAreBounded() {
        String topic = KafkaTestBroker.createTopic("sizes", 1);
        try (TestSocket socket = connect("sizer", topic)) {
            socket.send(Frame.publish("big", topic, "x".repeat(140_000)));
            assertEquals("too_large", socket.answerTo("big").get("code").asText());
            String deep = "[".repeat(40) + "]".repeat(40);
            socket.send(Frame.publish("deep", topic, null).withJson("data", deep));
            JsonNode error = socket.next();
            assertEquals("bad_request", error.get("code").asText());
            assertTrue(error.get("message").asText().contains("nesting"), error.toString());
            String fine = "[".repeat(20) + "]".repeat(20);
            socket.send(Frame.publish("ok", topic, null).withJson("data", fine));
            assertEquals("ack", socket.answerTo("ok").get("type").asText());
        }
        assertEquals(1, KafkaTestBroker.readAll(topic, 2, Duration.ofSeconds(2)).size());
    }

    @Test
    void aMessageLargerThanAllowedClosesWith1009() {
        try (TestSocket socket = connect("oversized", "x")) {
            socket.send("{\"type\":\"ping\",\"id\":\"" + "x".repeat(300_000) + "\"}");
            assertEquals(1009, socket.awaitClose());
        }
    }

    @Test
    void aSingleFrameLargerThanAllowedClosesWith1009() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(ws(), TestTokens.token("big-frame", List.of("x"), List.of()))) {
            socket.sendText(("{\"type\":\"ping\",\"id\":\"" + "x".repeat(300_000) + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(1009, socket.receive().closeCode());
        }
    }

    @Test
    void textThatIsNotUtf8ClosesWith1007() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(ws(), TestTokens.token("bad-text", List.of("x"), List.of()))) {
            socket.sendText(new byte[]{'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"',
                    '}'});
            assertEquals(1007, socket.receive().closeCode());
        }
        byte[] head = "{\"type\":\"ping\",\"id\":\"caf".getBytes(StandardCharsets.UTF_8);
        try (RawWebSocket socket = RawWebSocket.connect(ws(),
                TestTokens.token("split-text", List.of("x"), List.of()))) {
            // A character split across fragments is valid text...
            socket.sendTextInFragments(head, new byte[]{(byte) 0xC3}, new byte[]{(byte) 0xA9, '"', '}'});
            assertTrue(socket.receive().text().contains("\"pong\""));
            // ...an invalid sequence across fragments is not.
            socket.sendTextInFragments(head, new byte[]{(byte) 0xC3}, new byte[]{(byte) 0x28, '"', '}'});
            assertEquals(1007, socket.receive().closeCode());
        }
    }

    @Test
    void framesThatBreakTheFramingRulesCloseWith1002() throws Exception {
        String token = TestTokens.token("bad-framing", List.of("x"), List.of());
        try (RawWebSocket socket = RawWebSocket.connect(ws(), token)) {
            socket.sendRaw(new byte[]{0x09, (byte) 0x80, 1, 2, 3, 4}); // fragmented ping
            assertEquals(1002, socket.receive().closeCode());
        }
        try (RawWebSocket socket = RawWebSocket.connect(ws(), token)) {
            socket.sendRaw(new byte[]{(byte) 0x83, (byte) 0x80, 1, 2, 3, 4}); // reserved opcode
            assertEquals(1002, socket.receive().closeCode());
        }
    }

    @Test
    void originsAreCheckedAgainstTheAllowList() {
        String token = TestTokens.token("browser", List.of("x"), List.of("x"));
        Map<String, String> evil = Map.of("Authorization", "Bearer " + token, "Origin", "https://evil.example");
        assertEquals(403, assertThrows(TestSocket.UpgradeRefused.class,
                () -> TestSocket.connect(ws(), evil, List.of())).status());
        TestSocket.connect(ws(), Map.of("Authorization", "Bearer " + token, "Origin", "https://app.example.com"),
                List.of()).close();
        String self = "http://" + ws().getHost() + ":" + ws().getPort();
        TestSocket.connect(ws(), Map.of("Authorization", "Bearer " + token, "Origin", self), List.of()).close();
        TestSocket.connect(ws(), token).close(); // no Origin: a non-browser client, allowed by default
    }
}
