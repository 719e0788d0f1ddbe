package io.passerelle.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.RawWebSocket;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Replays the hostile corpus ({@code src/test/resources/hostile-frames.txt}) against the live gateway: every frame
 * gets an error frame or a policy close, nothing reaches Kafka, no stack trace reaches the client or the log at
 * ERROR, and a bystander socket notices nothing.
 */
@QuarkusTest
class HostileInputTest extends GatewayTestBase {

    private static final Set<Integer> POLICY_CLOSES = Set.of(1002, 1007, 1008, 1009, 4429);
    private static final Set<String> ERROR_CODES = Set.of("bad_request", "forbidden", "too_large", "unknown_channel",
            "not_subscribed", "limit_exceeded", "rate_limited", "invalid_token", "offset_out_of_range",
            "already_subscribed", "not_assigned");
    private static final int MAX_FRAME = 262144;
    private static final Path LOG = Path.of("target/gateway-test.log");

    private record CorpusFrame(boolean binary, byte[] payload) {
    }

    private static List<CorpusFrame> corpus() throws IOException {
        List<CorpusFrame> frames = new ArrayList<>();
        try (InputStream in = HostileInputTest.class.getResourceAsStream("/hostile-frames.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ", -1);
                switch (parts[0]) {
                    case "T" -> frames.add(new CorpusFrame(false, decode(parts[1])));
                    case "B" -> frames.add(new CorpusFrame(true, decode(parts[1])));
                    case "R" -> {
                        byte[] unit = decode(parts[3]);
                        var bytes = new java.io.ByteArrayOutputStream();
                        bytes.writeBytes(decode(parts[2]));
                        for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
                            bytes.writeBytes(unit);
                        }
                        bytes.writeBytes(decode(parts[4]));
                        frames.add(new CorpusFrame(false, bytes.toByteArray()));
                    }
                    default -> throw new IllegalStateException("bad corpus line: " + line);
                }
            }
        }
        return frames;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] decode(String base64) {
        return "-".equals(base64) ? new byte[0] : Base64.getDecoder().decode(base64);
    }

    @Test
    void everyHostileFrameIsAnsweredOrClosedAndNothingLeaks() throws Exception {
        String target = KafkaTestBroker.createTopic("hostile-target", 1);
        String watched = KafkaTestBroker.createTopic("bystander", 1);
        List<CorpusFrame> corpus = corpus();
        assertTrue(corpus.size() >= 400, "several hundred frames: " + corpus.size());
        long logStart = Files.exists(LOG) ? Files.size(LOG) : 0;
        ObjectMapper json = new ObjectMapper();
        // The corpus names the channel 'hostile-target'; the granted topic has a unique suffix, so frames that
        // are otherwise valid still fail (forbidden or unknown), and nothing can be written.
        String token = TestTokens.token("attacker", List.of("hostile-target", "hostile-target-*"),
                List.of("hostile-target", "hostile-target-*"));

        try (TestSocket bystander = connect("bystander", watched)) {
            subscribeAndWait(bystander, Frame.subscribe("s", watched));
            RawWebSocket attacker = RawWebSocket.connect(ws(), token);
            int errors = 0;
            int closes = 0;
            int invalidText = 0;
            int oversized = 0;
            for (int i = 0; i < corpus.size(); i++) {
                CorpusFrame frame = corpus.get(i);
                if (frame.binary()) {
                    attacker.sendBinary(frame.payload());
                } else {
                    attacker.sendText(frame.payload());
                }
                RawWebSocket.Received answer = attacker.receive();
                if (!frame.binary() && !isUtf8(frame.payload())) {
                    assertEquals(1007, answer.closeCode(), "frame " + i + " is not UTF-8: " + answer);
                    invalidText++;
                } else if (frame.payload().length > MAX_FRAME) {
                    assertEquals(1009, answer.closeCode(), "frame " + i + " is over the frame limit: " + answer);
                    oversized++;
                }
                if (answer.isClose()) {
                    assertTrue(POLICY_CLOSES.contains(answer.closeCode()),
                            "frame " + i + " closed with " + answer.closeCode());
                    closes++;
                    attacker.close();
                    attacker = RawWebSocket.connect(ws(), token);
                } else {
                    JsonNode error = json.readTree(answer.text());
                    assertEquals("error", error.path("type").asText(), "frame " + i + ": " + answer.text());
                    assertTrue(ERROR_CODES.contains(error.path("code").asText()), "frame " + i + ": " + error);
                    String message = error.path("message").asText();
                    assertFalse(message.contains("Exception") || message.contains("\tat ")
                            || message.contains("io.passerelle"), "no internals in frame " + i + ": " + message);
                    errors++;
                }
                if (i % 50 == 0) {
                    KafkaTestBroker.produce(watched, 0, null, Integer.toString(i));
                }
            }
            attacker.close();
            System.out.printf("Hostile corpus: %d frames, %d error frames, %d policy closes (%d invalid UTF-8, %d over "
                    + "the frame limit)%n", corpus.size(), errors, closes, invalidText, oversized);
            assertTrue(invalidText >= 10 && oversized >= 1, "the corpus covers invalid UTF-8 and oversized frames");

            int expected = (corpus.size() + 49) / 50;
            List<JsonNode> events = bystander.events(expected);
            for (int k = 0; k < expected; k++) {
                assertEquals(Integer.toString(k * 50), events.get(k).get("data").asText());
            }
        }
        assertEquals(0, KafkaTestBroker.readAll(target, 1, Duration.ofSeconds(1)).size(), "nothing reached Kafka");
        assertFalse(KafkaTestBroker.topics().contains("hostile-target"), "no topic was created");
        io.restassured.RestAssured.get("/q/health/ready").then().statusCode(200);

        byte[] all = Files.readAllBytes(LOG);
        String log = new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                StandardCharsets.UTF_8);
        assertFalse(log.lines().anyMatch(l -> l.contains(" ERROR ")), "client mistakes are not logged at ERROR");
    }
}
