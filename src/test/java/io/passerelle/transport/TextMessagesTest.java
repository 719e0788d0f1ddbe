package io.passerelle.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.RawWebSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Text messages are read by the transport itself (FrameGuard): whole or in fragments, sent before the socket's
 * open callback ran or after, they are handled one after the other in the order they were sent.
 */
@QuarkusTest
class TextMessagesTest extends GatewayTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void messagesSentWithTheUpgradeAreAnsweredInOrder() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(ws(), TestTokens.token("early", List.of("x"), List.of()))) {
            List<byte[]> pings = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                pings.add(ping("p" + i));
            }
            socket.sendTexts(pings);
            for (int i = 0; i < 100; i++) {
                assertEquals("p" + i, pongId(socket));
            }
        }
    }

    @Test
    void aFragmentedMessageIsAnsweredBeforeTheWholeOneAfterIt() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(ws(), TestTokens.token("fragments", List.of("x"),
                List.of()))) {
            byte[] first = ping("first");
            byte[] whole = ping("second");
            for (int round = 0; round < 20; round++) {
                socket.sendTextInFragments(slice(first, 0, 5), slice(first, 5, 9), slice(first, 9, first.length));
                socket.sendText(whole);
                assertEquals("first", pongId(socket));
                assertEquals("second", pongId(socket));
            }
        }
    }

    private static byte[] ping(String id) {
        return ("{\"type\":\"ping\",\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static String pongId(RawWebSocket socket) throws Exception {
        RawWebSocket.Received received = socket.receive();
        assertEquals("pong", JSON.readTree(received.text()).path("type").asText(), received.toString());
        return JSON.readTree(received.text()).path("id").asText();
    }
}
