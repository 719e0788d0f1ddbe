package io.passerelle.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HandshakeTest extends GatewayTestBase {

    private URI ws(String query) {
        return URI.create(ws() + "?" + query);
    }

    private static String granted() {
        return TestTokens.token("alice", List.of("orders"), List.of("prices"));
    }

    private static List<String> carrier(String token) {
        return List.of("bearer-token-carrier", "quarkus-http-upgrade#Authorization#Bearer%20" + token);
    }

    private void assertOpens(TestSocket socket) {
        try (socket) {
            socket.send(Frame.ping("p1"));
            assertEquals("pong", socket.answerTo("p1").get("type").asText());
        }
    }

    private static int refusal(Runnable connect) {
        return assertThrows(TestSocket.UpgradeRefused.class, connect::run).status();
    }

    @Test
    void authorizationHeaderOpensTheSocket() {
        assertOpens(TestSocket.connect(ws(), granted()));
    }

    @Test
    void subprotocolCarrierOpensTheSocketAndIsAnswered() {
        TestSocket socket = TestSocket.connect(ws(), Map.of(), carrier(granted()));
        assertEquals("bearer-token-carrier", socket.subprotocol());
        assertOpens(socket);
    }

    @Test
    void queryParameterOpensTheSocket() {
        assertOpens(TestSocket.connect(ws("access_token=" + granted()), Map.of(), List.of()));
    }

    @Test
    void missingTokenIsRefusedWith401() {
        assertEquals(401, refusal(() -> TestSocket.connect(ws(), Map.of(), List.of())));
    }

    @Test
    void invalidTokensAreRefusedWith401ForEveryCarrier() {
        List<String> invalid = List.of(
                "not-a-jwt",
                TestTokens.tokenSignedByAnotherKey("mallory"),
                TestTokens.expiredToken("alice"),
                TestTokens.tokenWithIssuer("alice", "https://elsewhere"),
                TestTokens.tokenWithAudience("alice", "someone-else"));
        for (String token : invalid) {
            assertEquals(401, refusal(() -> TestSocket.connect(ws(), token)), "header: " + token);
            assertEquals(401, refusal(() -> TestSocket.connect(ws(), Map.of(), carrier(token))), "carrier");
            assertEquals(401, refusal(() -> TestSocket.connect(
                    ws("access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)), Map.of(), List.of())),
                    "query");
        }
    }

    @Test
    void tokenWithoutGrantsIsRefusedWith403ForEveryCarrier() {
        String token = TestTokens.tokenWithoutGrants("bob");
        assertEquals(403, refusal(() -> TestSocket.connect(ws(), token)));
        assertEquals(403, refusal(() -> TestSocket.connect(ws(), Map.of(), carrier(token))));
        assertEquals(403, refusal(() -> TestSocket.connect(ws("access_token=" + token), Map.of(), List.of())));
    }

    @Test
    void roleGrantsFromConfigurationOpenTheSocket() {
        assertOpens(TestSocket.connect(ws(), TestTokens.tokenWithRoles("carol", "trader")));
        assertEquals(403, refusal(() -> TestSocket.connect(ws(), TestTokens.tokenWithRoles("dave", "visitor"))));
    }
}
