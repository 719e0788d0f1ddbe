package io.passerelle.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Channels inside a topic, seen by a WebSocket client: each filter kind, several subscriptions to one channel, and
 * unsubscribing one of them.
 */
@QuarkusTest
class FiltersTest extends GatewayTestBase {

    @Test
    void eachFilterKindDeliversExactlyItsRecords() {
        String topic = KafkaTestBroker.createTopic("rooms", 3);
        try (TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(socket, Frame.subscribe("keys", topic).withJson("keys", "[\"r1\",\"r3\"]"));
            subscribeAndWait(socket, Frame.subscribe("prefix", topic).with("keyPrefix", "eu/"));
            subscribeAndWait(socket, Frame.subscribe("header", topic).withJson("headers", "{\"tenant\":\"t1\"}"));
            subscribeAndWait(socket, Frame.subscribe("both", topic).with("keyPrefix", "eu/")
                    .withJson("headers", "{\"tenant\":\"t2\",\"kind\":\"order\"}"));
            produce(topic, "r1", Map.of(), "1");
            produce(topic, "r2", Map.of(), "2");
            produce(topic, "r3", Map.of(), "3");
            produce(topic, "eu/paris", Map.of(), "4");
            produce(topic, "us/nyc", Map.of("tenant", "t1"), "5");
            produce(topic, "eu/rome", Map.of("tenant", "t2", "kind", "order"), "6");
            produce(topic, "eu/oslo", Map.of("tenant", "t2", "kind", "refund"), "7");
            produce(topic, null, Map.of("tenant", "t3"), "8");

            Map<String, Set<String>> received = bySubscription(socket.events(7));
            assertEquals(Set.of("1", "3"), received.get("keys"));
            assertEquals(Set.of("4", "6", "7"), received.get("prefix"));
            assertEquals(Set.of("5"), received.get("header"));
            assertEquals(Set.of("6"), received.get("both"));
            socket.assertNoMoreEvents();
        }
    }

    @Test
    void aRecordMatchingTwoSubscriptionsOfASocketReachesEachOnceNamedByIt() {
        String topic = KafkaTestBroker.createTopic("chat", 1);
        try (TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(socket, Frame.subscribe("room-a", topic).with("key", "a"));
            subscribeAndWait(socket, Frame.subscribe("all-rooms", topic));
            produce(topic, "a", Map.of(), "1");
            produce(topic, "b", Map.of(), "2");

            List<JsonNode> events = socket.events(3);
            assertEquals(Map.of("room-a", Set.of("1"), "all-rooms", Set.of("1", "2")), bySubscription(events));
            JsonNode first = events.stream().filter(e -> e.get("data").asText().equals("1")).findFirst().get();
            assertEquals("room-a".equals(first.get("subscription").asText()) ? "all-rooms" : "room-a",
                    events.stream().filter(e -> e.get("data").asText().equals("1") && e != first).findFirst().get()
                            .get("subscription").asText(),
                    "the record reached each subscription once");

            socket.send(Frame.unsubscribe("u1", null).with("subscription", "room-a"));
            JsonNode unsubscribed = socket.answerTo("u1");
            assertEquals("unsubscribed", unsubscribed.get("type").asText(), unsubscribed.toString());
            assertEquals("[\"room-a\"]", unsubscribed.get("subscriptions").toString());
            produce(topic, "a", Map.of(), "3");
            JsonNode after = socket.events(1).get(0);
            assertEquals("all-rooms", after.get("subscription").asText());
            socket.assertNoMoreEvents();

            subscribeAndWait(socket, Frame.subscribe("room-b", topic).with("key", "b"));
            socket.send(Frame.unsubscribe("u2", topic));
            JsonNode all = socket.answerTo("u2");
            assertEquals(Set.of("all-rooms", "room-b"), texts(all.get("subscriptions")));
            produce(topic, "b", Map.of(), "4");
            socket.assertNoMoreEvents();
        }
    }

    @Test
    void aSubscriptionIsNamedOnceAndTheSameFilterTwiceIsRefused() {
        String topic = KafkaTestBroker.createTopic("named", 1);
        try (TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s1", topic).with("key", "a"));
            socket.send(Frame.subscribe("s2", topic).with("key", "a"));
            assertEquals("already_subscribed", socket.answerTo("s2").get("code").asText());
            socket.send(Frame.subscribe("s1", topic).with("key", "b"));
            assertEquals("already_subscribed", socket.answerTo("s1").get("code").asText());
            subscribeAndWait(socket, Frame.subscribe("s3", topic).with("key", "b"));
            socket.send(Frame.unsubscribe("u", null).with("subscription", "nope"));
            assertEquals("not_subscribed", socket.answerTo("u").get("code").asText());
        }
    }

    @Test
    void badFiltersAreBadRequests() {
        String topic = KafkaTestBroker.createTopic("bad", 1);
        try (TestSocket socket = connect("alice", topic)) {
            List<Frame> bad = List.of(
                    Frame.subscribe("b1", topic).with("key", "a").withJson("keys", "[\"b\"]"),
                    Frame.subscribe("b2", topic).withJson("keys", "[]"),
                    Frame.subscribe("b3", topic).withJson("keys", "\"a\""),
                    Frame.subscribe("b4", topic).withJson("keys", "[1]"),
                    Frame.subscribe("b5", topic).with("keyPrefix", ""),
                    Frame.subscribe("b6", topic).withJson("headers", "{\"h\":1}"),
                    Frame.subscribe("b7", topic).withJson("keys", "[\"a\"]").with("keyPrefix", "z"),
                    Frame.unsubscribe("b8", topic).with("subscription", "s"));
            for (Frame frame : bad) {
                socket.send(frame);
                JsonNode answer = socket.answerTo(frame.id());
                assertEquals("bad_request", answer.path("code").asText(), frame + " -> " + answer);
            }
        }
    }

    private static void produce(String topic, String key, Map<String, String> headers, String value) {
        KafkaTestBroker.produce(topic, key, value, headers);
    }

    private static Map<String, Set<String>> bySubscription(List<JsonNode> events) {
        Map<String, Set<String>> received = new java.util.HashMap<>();
        for (JsonNode event : events) {
            assertTrue(received.computeIfAbsent(event.get("subscription").asText(), s -> new TreeSet<>())
                    .add(event.get("data").asText()), "duplicate " + event);
        }
        return received;
    }

    private static Set<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return new TreeSet<>(texts);
    }

}
