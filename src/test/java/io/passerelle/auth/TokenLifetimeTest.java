package io.passerelle.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** A socket never outlives its token; the test profile warns 2 s before expiry. */
@QuarkusTest
class TokenLifetimeTest extends GatewayTestBase {

    @Test
    void withoutRefreshTheSocketIsWarnedThenClosedWith4401() {
        String token = TestTokens.shortLivedToken("ephemeral", List.of("x"), List.of("x"), Duration.ofSeconds(4));
        try (TestSocket socket = TestSocket.connect(ws(), token)) {
            JsonNode warning = socket.next();
            assertEquals("token_expiring", warning.get("type").asText());
            assertTrue(warning.get("expiresAt").asLong() > System.currentTimeMillis() - 5000);
            assertEquals(4401, socket.awaitClose());
        }
    }

    @Test
    void aRefreshedTokenKeepsTheSocketAndReplacesTheGrants() {
        String kept = KafkaTestBroker.createTopic("kept", 1);
        String dropped = KafkaTestBroker.createTopic("dropped", 1);
        String first = TestTokens.shortLivedToken("refresher", List.of(kept), List.of(kept, dropped),
                Duration.ofSeconds(4));
        try (TestSocket socket = TestSocket.connect(ws(), first)) {
            subscribeAndWait(socket, Frame.subscribe("a", kept));
            subscribeAndWait(socket, Frame.subscribe("b", dropped));
            assertEquals("token_expiring", socket.next().get("type").asText());

            String second = TestTokens.shortLivedToken("refresher", List.of(kept), List.of(kept),
                    Duration.ofSeconds(60));
            socket.send(Frame.refresh("r1", second));
            JsonNode ended = socket.next();
            assertEquals("error", ended.get("type").asText());
            assertEquals("forbidden", ended.get("code").asText());
            assertEquals(dropped, ended.get("channel").asText());
            JsonNode refreshed = socket.answerTo("r1");
            assertEquals("refreshed", refreshed.get("type").asText());
            assertTrue(refreshed.get("expiresAt").asLong() > System.currentTimeMillis() + 30_000);

            socket.drain(Duration.ofSeconds(4)); // past the first token's expiry
            socket.send(Frame.ping("still"));
            assertEquals("pong", socket.answerTo("still").get("type").asText());
            KafkaTestBroker.produce(kept, 0, null, "1");
            KafkaTestBroker.produce(dropped, 0, null, "2");
            List<JsonNode> events = socket.events(1);
            assertEquals(kept, events.get(0).get("channel").asText());
            assertTrue(socket.drain(Duration.ofMillis(700)).isEmpty());
        }
    }

    @Test
    void invalidRefreshesAreRefusedAndTheOldTokenStaysInForce() {
        String token = TestTokens.token("steady", List.of("x"), List.of("x"));
        try (TestSocket socket = TestSocket.connect(ws(), token)) {
            for (String bad : List.of(TestTokens.token("someone-else", List.of("*"), List.of("*")),
                    TestTokens.tokenSignedByAnotherKey("steady"), TestTokens.expiredToken("steady"), "garbage")) {
                socket.send(Frame.refresh("r", bad));
                assertEquals("invalid_token", socket.answerTo("r").get("code").asText());
            }
            socket.send(Frame.ping("p"));
            assertEquals("pong", socket.answerTo("p").get("type").asText());
        }
    }
}
