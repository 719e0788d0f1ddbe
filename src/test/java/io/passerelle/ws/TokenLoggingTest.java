package io.passerelle.ws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** The gateway's log (with the HTTP access log on) never holds a token, whichever way it was carried. */
@QuarkusTest
class TokenLoggingTest extends GatewayTestBase {

    private static final Path LOG = Path.of("target/gateway-test.log");

    @Test
    void tokensNeverReachTheLog() throws Exception {
        long start = Files.exists(LOG) ? Files.size(LOG) : 0;
        String valid = TestTokens.token("logged", List.of("t"), List.of("t"));
        String forged = TestTokens.tokenSignedByAnotherKey("forger");
        String expired = TestTokens.expiredToken("late");
        try (TestSocket socket = TestSocket.connect(URI.create(ws() + "?access_token=" + valid), Map.of(),
                List.of())) {
            socket.send(Frame.ping("p"));
            socket.answerTo("p");
        }
        TestSocket.connect(ws(), Map.of(), List.of("bearer-token-carrier",
                "quarkus-http-upgrade#Authorization#Bearer%20" + valid)).close();
        for (String bad : List.of(forged, expired)) {
            assertThrows(TestSocket.UpgradeRefused.class,
                    () -> TestSocket.connect(URI.create(ws() + "?access_token=" + bad), Map.of(), List.of()));
            assertThrows(TestSocket.UpgradeRefused.class, () -> TestSocket.connect(ws(), bad));
        }
        Thread.sleep(500); // let the file handler write the access log lines
        byte[] all = Files.readAllBytes(LOG);
        String log = new String(all, (int) Math.min(start, all.length), (int) Math.max(0, all.length - start),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("/ws"), "the access log is on and records upgrades");
        for (String token : List.of(valid, forged, expired)) {
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertFalse(log.contains(signature), "a token signature was logged");
            assertFalse(log.contains(token.substring(0, token.lastIndexOf('.'))), "token claims were logged");
        }
    }
}
