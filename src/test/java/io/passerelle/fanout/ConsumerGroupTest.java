package io.passerelle.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Await;
import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

/** Consumer groups over WebSocket: partitions shared among sockets, offsets committed when the client says so. */
@QuarkusTest
class ConsumerGroupTest extends GatewayTestBase {

    @Inject
    Fanout fanout;

    private static void produce(String topic, int partitions, int from, int to) {
        try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, Integer.toString(i)));
            }
        }
    }

    /** Waits until the socket's latest assignment has the given size, and returns it. */
    private static Set<Integer> awaitAssignment(TestSocket socket, int size) {
        while (true) {
            JsonNode frame = socket.next(f -> "assigned".equals(f.path("type").asText()));
            Set<Integer> partitions = new TreeSet<>();
            frame.get("partitions").forEach(p -> partitions.add(p.asInt()));
            if (partitions.size() == size) {
                return partitions;
            }
        }
    }

    private static Frame inGroup(String id, String topic) {
        return Frame.subscribe(id, topic).with("group", "workers-" + topic).with("from", "earliest");
    }

    private static List<JsonNode> eventsWithin(TestSocket socket, Duration window) {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode frame : socket.drain(window)) {
            if ("event".equals(frame.path("type").asText())) {
                events.add(frame);
            }
        }
        return events;
    }

    @Test
    void twoSocketsInOneGroupSplitThePartitions() {
        String topic = KafkaTestBroker.createTopic("jobs", 4);
        try (TestSocket a = connect("worker-a", topic); TestSocket b = connect("worker-b", topic)) {
            subscribeAndWait(a, inGroup("g", topic));
            awaitAssignment(a, 4);
            subscribeAndWait(b, inGroup("g", topic));
            Set<Integer> ofA = awaitAssignment(a, 2);
            Set<Integer> ofB = awaitAssignment(b, 2);
            Set<Integer> all = new HashSet<>(ofA);
            all.addAll(ofB);
            assertEquals(Set.of(0, 1, 2, 3), all, "disjoint and complete: " + ofA + " " + ofB);

            produce(topic, 4, 0, 40);
            List<JsonNode> eventsA = a.events(20);
            List<JsonNode> eventsB = b.events(20);
            eventsA.forEach(e -> assertTrue(ofA.contains(e.get("partition").asInt())));
            eventsB.forEach(e -> assertTrue(ofB.contains(e.get("partition").asInt())));
            Set<String> values = new HashSet<>();
            eventsA.forEach(e -> values.add(e.get("data").asText()));
            eventsB.forEach(e -> values.add(e.get("data").asText()));
            assertEquals(40, values.size());
        }
    }

    @Test
    void tenSocketsInOneGroupShareOneKafkaMemberOfThisReplica() {
        String topic = KafkaTestBroker.createTopic("shared-group", 4);
        List<TestSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                TestSocket socket = connect("pool-" + i, topic);
                sockets.add(socket);
                subscribeAndWait(socket, inGroup("g", topic));
            }
            assertEquals(1, fanout.groupMembersRunning(topic), "one Kafka member for the replica's ten sockets");
            assertEquals(1, Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && t.getName().startsWith("passerelle-group-")
                            && t.getName().endsWith("workers-" + topic))
                    .count());
            produce(topic, 4, 0, 80);
            // Four partitions among ten sockets: four hold one each; every record reaches exactly one socket.
            Set<String> values = new HashSet<>();
            int holders = 0;
            for (TestSocket socket : sockets) {
                List<JsonNode> events = eventsWithin(socket, Duration.ofMillis(300));
                Set<Integer> partitions = new HashSet<>();
                events.forEach(e -> partitions.add(e.get("partition").asInt()));
                holders += events.isEmpty() ? 0 : 1;
                assertTrue(partitions.size() <= 1, "one partition per socket at most: " + partitions);
                events.forEach(e -> assertTrue(values.add(e.get("data").asText()), "twice: " + e));
            }
            Await.until("every record delivered", Duration.ofSeconds(10), () -> {
                sockets.forEach(socket -> eventsWithin(socket, Duration.ofMillis(50))
                        .forEach(e -> values.add(e.get("data").asText())));
                return values.size() == 80;
            });
            assertEquals(4, holders);
        } finally {
            sockets.forEach(TestSocket::close);
        }
        Await.until("the member stopped with its last socket", Duration.ofSeconds(20),
                () -> fanout.groupMembersRunning(topic) == 0);
    }

    @Test
    void recordsNotCommittedWhenAMemberDiesReachAnotherMember() {
        String topic = KafkaTestBroker.createTopic("handoff", 2);
        TestSocket first = connect("first", topic);
        try (TestSocket second = connect("second", topic)) {
            subscribeAndWait(first, inGroup("g", topic));
            awaitAssignment(first, 2);
            produce(topic, 2, 0, 10);
            List<JsonNode> received = first.events(10);
            // Commit only partition 0, up to its last record; partition 1 stays uncommitted.
            JsonNode lastOfP0 = received.stream().filter(e -> e.get("partition").asInt() == 0)
                    .reduce((x, y) -> y).orElseThrow();
            first.send(Frame.commit("c", topic, 0, lastOfP0.get("offset").asLong()));
            JsonNode committed = first.answerTo("c");
            assertEquals("committed", committed.get("type").asText(), committed.toString());

            subscribeAndWait(second, inGroup("g", topic));
            first.close(); // dies before committing partition 1
            // Its partitions reach the second socket, which may hear the records before its final assignment.
            List<JsonNode> redelivered = new ArrayList<>();
            boolean both = false;
            while (!both || redelivered.size() < 5) {
                JsonNode frame = second.next();
                if ("event".equals(frame.path("type").asText())) {
                    redelivered.add(frame);
                } else if ("assigned".equals(frame.path("type").asText())) {
                    both = frame.get("partitions").size() == 2;
                }
            }
            redelivered.forEach(e -> assertEquals(1, e.get("partition").asInt(), "only uncommitted records: " + e));
            Set<String> values = new TreeSet<>();
            redelivered.forEach(e -> values.add(e.get("data").asText()));
            assertEquals(Set.of("1", "3", "5", "7", "9"), values);
            assertTrue(eventsWithin(second, Duration.ofMillis(700)).isEmpty());
        }
    }

    @Test
    void aMemberThatRejoinsContinuesAfterTheLastCommit() {
        String topic = KafkaTestBroker.createTopic("rejoin", 1);
        produce(topic, 1, 0, 10);
        try (TestSocket socket = connect("rejoiner", topic)) {
            subscribeAndWait(socket, inGroup("g", topic));
            List<JsonNode> events = socket.events(10);
            socket.send(Frame.commit("c", topic, 0, events.get(5).get("offset").asLong()));
            assertEquals("committed", socket.answerTo("c").get("type").asText());
        }
        try (TestSocket socket = connect("rejoiner", topic)) {
            subscribeAndWait(socket, inGroup("g", topic));
            List<JsonNode> events = socket.events(4);
            assertEquals(List.of("6", "7", "8", "9"), events.stream().map(e -> e.get("data").asText()).toList());
            assertTrue(eventsWithin(socket, Duration.ofMillis(700)).isEmpty());
        }
    }

    @Test
    void aDeletedChannelEndsItsGroupSubscriptionsWithAFrameThatNamesThem() {
        String topic = KafkaTestBroker.createTopic("doomed-group", 2);
        try (TestSocket a = connect("doomed-a", topic); TestSocket b = connect("doomed-b", topic)) {
            subscribeAndWait(a, inGroup("ga", topic));
            subscribeAndWait(b, inGroup("gb", topic));
            KafkaTestBroker.deleteTopic(topic);
            for (var entry : Map.of(a, "ga", b, "gb").entrySet()) {
                JsonNode ended = entry.getKey().next(f -> "error".equals(f.path("type").asText()));
                assertEquals("unknown_channel", ended.get("code").asText(), ended.toString());
                assertEquals(entry.getValue(), ended.get("subscription").asText());
                assertEquals(topic, ended.get("channel").asText());
            }
            Await.until("the member stopped", Duration.ofSeconds(20), () -> fanout.groupMembersRunning(topic) == 0);
            a.send(Frame.ping("p"));
            assertEquals("pong", a.answerTo("p").get("type").asText(), "the socket stays open");
        }
    }

    @Test
    void commitsAreCheckedAgainstTheAssignment() {
        String topic = KafkaTestBroker.createTopic("checked", 1);
        try (TestSocket socket = connect("checker", topic)) {
            subscribeAndWait(socket, Frame.subscribe("plain", topic));
            socket.send(Frame.commit("c1", topic, 0, 1));
            assertEquals("bad_request", socket.answerTo("c1").get("code").asText());
            socket.send(Frame.unsubscribe("u", topic));
            socket.answerTo("u");
            subscribeAndWait(socket, inGroup("g", topic));
            awaitAssignment(socket, 1);
            socket.send(Frame.commit("c2", topic, 5, 1));
            assertEquals("not_assigned", socket.answerTo("c2").get("code").asText());
            socket.send(Frame.subscribe("x", topic).with("group", "g").fromOffsets(Map.of(0, 1L)));
            assertEquals("bad_request", socket.answerTo("x").get("code").asText());
        }
    }
}
