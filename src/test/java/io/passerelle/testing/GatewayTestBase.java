package io.passerelle.testing;

import java.net.URI;
import java.util.List;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * What the gateway tests share: the running gateway's WebSocket address, clients and tokens.
 */
@WithTestResource(value = GatewayTestResource.class, scope = TestResourceScope.GLOBAL)
public abstract class GatewayTestBase {

    @TestHTTPResource("/ws")
    protected URI http;

    protected URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    /** A socket for a user granted publish and subscribe on the given topics. */
    protected TestSocket connect(String user, String... topics) {
        return TestSocket.connect(ws(), TestTokens.token(user, List.of(topics), List.of(topics)));
    }

    /** Subscribes and waits for the {@code subscribed} answer. */
    protected static void subscribeAndWait(TestSocket socket, Frame subscribe) {
        socket.send(subscribe);
        var answer = socket.answerTo(subscribe.id());
        if (!"subscribed".equals(answer.path("type").asText())) {
            throw new AssertionError("expected subscribed, got " + answer);
        }
    }
}
