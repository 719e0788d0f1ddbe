package io.passerelle.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

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
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * What the gateway writes reaches real clients whole and in order, whatever the frame's length (the three length
 * encodings of RFC 6455) and however many frames a burst holds: on a socket without extensions, where bursts are
 * written as wire bytes, and on one that negotiated permessage-deflate, where each frame is compressed.
 */
@QuarkusTest
class OutboundFramesTest extends GatewayTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Data whose event frames are under 126 bytes, at 126 to 65,535, and over 65,535 (up to the data limit). */
    private static final List<Integer> DATA_LENGTHS = List.of(1, 40, 200, 65_400, 65_600, 130_000);
    /** Within the publish burst a socket is allowed (200). */
    private static final int BURST = 150;

    @Test
    void framesOfEveryLengthAndBurstsReachAClientWithoutExtensions() {
        String topic = KafkaTestBroker.createTopic("frames-plain", 1);
        try (TestSocket subscriber = connect("bob", topic); TestSocket publisher = connect("alice", topic)) {
            subscribeAndWait(subscriber, Frame.subscribe("s", topic));
            List<String> sent = publishAll(publisher, topic);
            List<JsonNode> events = subscriber.events(sent.size());
            assertEquals(sent, events.stream().map(event -> event.path("data").asText()).toList());
        }
    }

    @Test
    void framesOfEveryLengthAndBurstsReachAClientThatNegotiatedCompression() throws Exception {
        String topic = KafkaTestBroker.createTopic("frames-deflate", 1);
        Vertx vertx = Vertx.vertx();
        try (TestSocket publisher = connect("alice", topic)) {
            WebSocketClient client = vertx.createWebSocketClient(
                    new WebSocketClientOptions().setTryUsePerMessageCompression(true).setMaxMessageSize(1 << 20)
                            .setMaxFrameSize(1 << 20));
            WebSocketConnectOptions options = new WebSocketConnectOptions().setURI(ws().toString())
                    .setHost(ws().getHost()).setPort(ws().getPort())
                    .addHeader("Authorization", "Bearer " + TestTokens.token("bob", List.of(), List.of(topic)));
            LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
            CompletableFuture<String> negotiated = new CompletableFuture<>();
            // The handshake's headers are readable only as the connection completes.
            WebSocket subscriber = client.connect(options)
                    .onSuccess(socket -> negotiated.complete(socket.headers().get("sec-websocket-extensions")))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            String extensions = negotiated.get(20, TimeUnit.SECONDS);
            assertTrue(extensions != null && extensions.contains("permessage-deflate"), String.valueOf(extensions));
            subscriber.textMessageHandler(text -> received.add(parse(text)));
            subscriber.writeTextMessage(Frame.subscribe("s", topic).toString());
            JsonNode subscribed = received.poll(20, TimeUnit.SECONDS);
            assertEquals("subscribed", subscribed == null ? null : subscribed.path("type").asText());

            List<String> sent = publishAll(publisher, topic);
            List<String> data = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                JsonNode event = received.poll(20, TimeUnit.SECONDS);
                assertTrue(event != null, "event " + i + " of " + sent.size() + " did not arrive");
                data.add(event.path("data").asText());
            }
            assertEquals(sent, data);
            subscriber.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSocketThatNegotiatedCompressionGetsItsFramesCompressed() throws Exception {
        String topic = KafkaTestBroker.createTopic("frames-compressed", 1);
        String data = "compressible ".repeat(800);
        try (TestSocket publisher = connect("alice", topic);
                RawWebSocket subscriber = RawWebSocket.connect(ws(),
                        TestTokens.token("bob", List.of(), List.of(topic)), "permessage-deflate")) {
            // One inflater for the connection: the server keeps its compression context from message to message.
            Inflater inflater = new Inflater(true);
            subscriber.sendText(Frame.subscribe("s", topic).toString().getBytes(StandardCharsets.UTF_8));
            RawWebSocket.WireFrame subscribed = subscriber.receiveFrame();
            assertTrue(subscribed.compressed(), "the subscribed frame was sent uncompressed");
            assertEquals("subscribed", parse(inflate(inflater, subscribed.payload())).path("type").asText());

            publisher.send(Frame.publish("p", topic, data));
            assertEquals("ack", publisher.answerTo("p").path("type").asText());
            RawWebSocket.WireFrame event = subscriber.receiveFrame();
            assertTrue(event.compressed(), "the event frame was sent uncompressed");
            assertTrue(event.payload().length < data.length() / 10,
                    event.payload().length + " bytes on the wire for " + data.length() + " of data");
            assertEquals(data, parse(inflate(inflater, event.payload())).path("data").asText());
        }
    }

    /** A permessage-deflate message's text (RFC 7692, section 7.2.2: the sender removed the final empty block). */
    private static String inflate(Inflater inflater, byte[] payload) throws DataFormatException {
        byte[] input = Arrays.copyOf(payload, payload.length + 4);
        input[payload.length + 2] = (byte) 0xff;
        input[payload.length + 3] = (byte) 0xff;
        inflater.setInput(input);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int inflated;
        while ((inflated = inflater.inflate(chunk)) > 0) {
            text.write(chunk, 0, inflated);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    /** Publishes one string of every length, then a burst of small ones; returns the strings in order. */
    private static List<String> publishAll(TestSocket publisher, String topic) {
        List<String> sent = new ArrayList<>();
        for (int length : DATA_LENGTHS) {
            sent.add(text(length, sent.size()));
        }
        for (int i = 0; i < BURST; i++) {
            sent.add("burst-" + i);
        }
        for (int i = 0; i < sent.size(); i++) {
            publisher.send(Frame.publish("p" + i, topic, sent.get(i)));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertEquals("ack", publisher.answerTo("p" + i).path("type").asText());
        }
        return sent;
    }

    /** A string of the length whose characters vary, so that no two messages are alike. */
    private static String text(int length, int seed) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + (i * 7 + seed) % 26));
        }
        return text.toString();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
