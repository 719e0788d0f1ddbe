package io.passerelle.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProtocolErrorsTest extends GatewayTestBase {

    @Test
    void malformedFramesGetBadRequestAndTheSocketAndItsSubscriptionsLiveOn() {
        String topic = KafkaTestBroker.createTopic("robust", 1);
        List<String> malformed = List.of(
                "not json",
                "",
                "[]",
                "42",
                "{\"type\":\"publish\"}",
                "{\"id\":\"x\"}",
                "{\"type\":\"teleport\",\"id\":\"x\"}",
                "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"" + topic + "\"}",
                "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"bad topic!\",\"data\":1}",
                "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"" + topic + "\",\"key\":5,\"data\":1}",
                "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"" + topic + "\",\"headers\":{\"h\":1},\"data\":1}",
                "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"" + topic + "\",\"headers\":[],\"data\":1}",
                "{\"type\":\"subscribe\",\"id\":\"x\",\"channel\":\"" + topic + "\",\"from\":\"yesterday\"}",
                "{\"type\":\"subscribe\",\"id\":\"x\",\"channel\":\"" + topic + "\",\"from\":{\"offsets\":{\"a\":1}}}",
                "{\"type\":\"subscribe\",\"id\":\"x\",\"channel\":\"" + topic + "\",\"from\":{\"offsets\":{\"0\":-1}}}",
                "{\"type\":\"ping\",\"id\":" + "\"" + "i".repeat(500) + "\"}",
                "{\"type\":\"ping\",\"id\":7}");
        try (TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s1", topic));
            for (String frame : malformed) {
                socket.send(frame);
                JsonNode error = socket.next();
                assertEquals("error", error.get("type").asText(), frame);
                assertEquals("bad_request", error.get("code").asText(), frame);
                assertFalse(error.get("message").asText().contains("Exception"), error.toString());
            }
            socket.sendBinary(new byte[]{1, 2, 3});
            assertEquals("bad_request", socket.next().get("code").asText());

            KafkaTestBroker.produce(topic, 0, null, "\"still here\"");
            assertEquals("still here", socket.events(1).get(0).get("data").asText());
            socket.send(Frame.ping("p"));
            assertEquals("pong", socket.answerTo("p").get("type").asText());
        }
    }

    @Test
    void errorsNameTheRequestId() {
        try (TestSocket socket = connect("alice", "granted-only")) {
            socket.send(Frame.publish("req-7", "elsewhere", Map.of()));
            JsonNode error = socket.next();
            assertEquals("req-7", error.get("id").asText());
            assertEquals("forbidden", error.get("code").asText());
        }
    }
}
