package io.passerelle.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PublishTest extends GatewayTestBase {

    @Test
    void publishIsAckedAfterKafkaHasTheRecordWithKeyValueAndIdentity() {
        String topic = KafkaTestBroker.createTopic("orders", 3);
        try (TestSocket socket = connect("alice", topic)) {
            socket.send(
                    Frame.publish("c1", topic, null).withJson("data", "{\"qty\":3,\"sku\":\"A\"}").with("key", "k-1")
                            .with("headers", Map.of("h", "v")));
            JsonNode ack = socket.answerTo("c1");
            assertEquals("ack", ack.get("type").asText(), ack.toString());
            assertEquals(topic, ack.get("channel").asText());

            List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.readAll(topic, 1, Duration.ofSeconds(20));
            assertEquals(1, records.size());
            ConsumerRecord<byte[], byte[]> record = records.get(0);
            assertEquals(ack.get("partition").asInt(), record.partition());
            assertEquals(ack.get("offset").asLong(), record.offset());
            assertEquals("k-1", new String(record.key(), StandardCharsets.UTF_8));
            assertEquals("{\"qty\":3,\"sku\":\"A\"}", new String(record.value(), StandardCharsets.UTF_8));
            Map<String, String> headers = new HashMap<>();
            for (Header header : record.headers()) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
            assertEquals("v", headers.get("h"));
            assertEquals("alice", headers.get("passerelle-user"));
            assertTrue(headers.get("passerelle-connection").length() > 8, headers.toString());
            assertTrue(headers.containsKey("passerelle-instance"));
        }
    }

    @Test
    void aClientsTraceContextReachesTheRecordAndItsEventsUnchangedWhenTracingIsOff() {
        String topic = KafkaTestBroker.createTopic("trace-off", 1);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        try (TestSocket subscriber = connect("bob", topic); TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(subscriber, Frame.subscribe("s", topic));
            socket.send(Frame.publish("t", topic, 1)
                    .with("headers", Map.of("traceparent", traceparent, "tracestate", "shop=1")));
            assertEquals("ack", socket.answerTo("t").path("type").asText());
            ConsumerRecord<byte[], byte[]> record = KafkaTestBroker.readAll(topic, 1, Duration.ofSeconds(20)).get(0);
            assertEquals(traceparent, new String(record.headers().lastHeader("traceparent").value(),
                    StandardCharsets.UTF_8));
            JsonNode event = subscriber.events(1).get(0);
            assertEquals(traceparent, event.path("headers").path("traceparent").asText(), event.toString());
            assertEquals("shop=1", event.path("headers").path("tracestate").asText(), event.toString());
        }
    }

    @Test
    void anyJsonValueIsAcceptedAsDataAndKeyIsOptional() {
        String topic = KafkaTestBroker.createTopic("values", 1);
        List<String> values = List.of("42", "\"text\"", "[1,2,3]", "null", "true", "{\"nested\":{\"a\":[{}]}}");
        try (TestSocket socket = connect("alice", topic)) {
            for (int i = 0; i < values.size(); i++) {
                socket.send(Frame.publish("v" + i, topic, null).withJson("data", values.get(i)));
                assertEquals("ack", socket.answerTo("v" + i).get("type").asText());
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.readAll(topic, values.size(),
                Duration.ofSeconds(20));
        for (int i = 0; i < values.size(); i++) {
            assertEquals(values.get(i), new String(records.get(i).value(), StandardCharsets.UTF_8));
            assertEquals(null, records.get(i).key());
        }
    }

    @Test
    void publishingToAChannelNotGrantedIsForbiddenAndWritesNothing() {
        String allowed = KafkaTestBroker.createTopic("allowed", 1);
        String other = KafkaTestBroker.createTopic("other", 1);
        try (TestSocket socket = connect("alice", allowed)) {
            socket.send(Frame.publish("x", other, 1));
            JsonNode error = socket.answerTo("x");
            assertEquals("error", error.get("type").asText());
            assertEquals("forbidden", error.get("code").asText());
        }
        assertEquals(0, KafkaTestBroker.readAll(other, 1, Duration.ofSeconds(1)).size());
    }

    @Test
    void spoofedGatewayHeadersAreRejected() {
        String topic = KafkaTestBroker.createTopic("spoof", 1);
        try (TestSocket socket = connect("mallory", topic)) {
            for (String name : List.of("passerelle-user", "Passerelle-Connection", "passerelle-anything")) {
                socket.send(Frame.publish("s", topic, 1).with("headers", Map.of(name, "admin")));
                JsonNode error = socket.answerTo("s");
                assertEquals("bad_request", error.get("code").asText(), name);
            }
        }
        assertEquals(0, KafkaTestBroker.readAll(topic, 1, Duration.ofSeconds(1)).size());
    }

    @Test
    void publishingToAMissingTopicIsAnsweredUnknownChannel() {
        try (TestSocket socket = connect("alice", "*")) {
            socket.send(Frame.publish("m", "no-such-topic", 1));
            JsonNode error = socket.answerTo("m");
            assertEquals("unknown_channel", error.get("code").asText());
        }
        assertTrue(!KafkaTestBroker.topics().contains("no-such-topic"));
    }

    @Test
    void publishesOfOneSocketAreAckedInOrder() {
        String topic = KafkaTestBroker.createTopic("ordered", 1);
        int count = 200;
        try (TestSocket socket = connect("alice", topic)) {
            for (int i = 0; i < count; i++) {
                socket.send(Frame.publish("o" + i, topic, i));
            }
            long previous = -1;
            for (int i = 0; i < count; i++) {
                JsonNode ack = socket.answerTo("o" + i);
                assertEquals("ack", ack.get("type").asText());
                assertTrue(ack.get("offset").asLong() > previous);
                previous = ack.get("offset").asLong();
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.readAll(topic, count, Duration.ofSeconds(20));
        for (int i = 0; i < count; i++) {
            assertEquals(Integer.toString(i), new String(records.get(i).value(), StandardCharsets.UTF_8));
        }
    }
}
