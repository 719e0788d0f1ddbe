package io.passerelle.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SubscribeTest extends GatewayTestBase {

    private static List<String> values(List<JsonNode> events) {
        List<String> values = new ArrayList<>();
        events.forEach(e -> values.add(e.get("data").toString()));
        return values;
    }

    @Test
    void latestDeliversEveryRecordAppendedAfterSubscribedAndNothingBefore() throws Exception {
        String topic = KafkaTestBroker.createTopic("prices", 1);
        KafkaTestBroker.produce(topic, 0, "before", "{\"n\":-1}");
        try (TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s1", topic).with("from", "latest"));
            try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("source", "feed".getBytes());
                producer.send(new ProducerRecord<>(topic, 0, 1764150000000L, "EURUSD", "{\"bid\":1.1}", headers)).get();
                for (int i = 0; i < 4; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, "EURUSD", "{\"n\":" + i + "}")).get();
                }
            }
            List<JsonNode> events = socket.events(5);
            JsonNode first = events.get(0);
            assertEquals("event", first.get("type").asText());
            assertEquals(topic, first.get("channel").asText());
            assertEquals(0, first.get("partition").asInt());
            assertEquals(1, first.get("offset").asLong());
            assertEquals("EURUSD", first.get("key").asText());
            assertEquals("feed", first.get("headers").get("source").asText());
            assertEquals(1764150000000L, first.get("timestamp").asLong());
            assertEquals(1.1, first.get("data").get("bid").asDouble());
            assertEquals(List.of("{\"bid\":1.1}", "{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), values(events));
            socket.assertNoMoreEvents();
        }
    }

    @Test
    void earliestDeliversHistoryThenLiveRecordsWithoutGapOrDuplicate() throws Exception {
        String topic = KafkaTestBroker.createTopic("history", 1);
        for (int i = 0; i < 50; i++) {
            KafkaTestBroker.produce(topic, 0, null, Integer.toString(i));
        }
        try (TestSocket live = connect("bob", topic); TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(live, Frame.subscribe("l", topic));
            socket.send(Frame.subscribe("s1", topic).with("from", "earliest"));
            assertEquals("subscribed", socket.next().get("type").asText());
            try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
                for (int i = 50; i < 100; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, null, Integer.toString(i)));
                }
                producer.flush();
            }
            List<JsonNode> events = socket.events(100);
            for (int i = 0; i < 100; i++) {
                assertEquals(i, events.get(i).get("offset").asLong());
                assertEquals(Integer.toString(i), events.get(i).get("data").toString());
            }
            socket.assertNoMoreEvents();
            assertEquals(50, live.events(50).size());
            live.assertNoMoreEvents();
        }
    }

    @Test
    void offsetsStartEachNamedPartitionThereAndOthersAtLatest() throws Exception {
        String topic = KafkaTestBroker.createTopic("resume", 2);
        for (int i = 0; i < 5; i++) {
            KafkaTestBroker.produce(topic, 0, null, "\"p0-" + i + "\"");
            KafkaTestBroker.produce(topic, 1, null, "\"p1-" + i + "\"");
        }
        try (TestSocket socket = connect("alice", topic)) {
            socket.send(Frame.subscribe("s1", topic).fromOffsets(Map.of(0, 2L)));
            JsonNode subscribed = socket.answerTo("s1");
            assertEquals("subscribed", subscribed.get("type").asText());
            assertEquals(2, subscribed.get("offsets").get("0").asLong(), "where each partition starts");
            assertEquals(5, subscribed.get("offsets").get("1").asLong());
            KafkaTestBroker.produce(topic, 1, null, "\"p1-5\"");
            KafkaTestBroker.produce(topic, 0, null, "\"p0-5\"");
            List<JsonNode> events = socket.events(5);
            List<String> p0 = new ArrayList<>();
            List<String> p1 = new ArrayList<>();
            events.forEach(e -> (e.get("partition").asInt() == 0 ? p0 : p1).add(e.get("data").asText()));
            assertEquals(List.of("p0-2", "p0-3", "p0-4", "p0-5"), p0);
            assertEquals(List.of("p1-5"), p1);
            socket.assertNoMoreEvents();
        }
    }

    @Test
    void offsetsOutsideWhatThePartitionHoldsAreRefusedWithTheAvailableRange() {
        String topic = KafkaTestBroker.createTopic("range", 2);
        for (int i = 0; i < 3; i++) {
            KafkaTestBroker.produce(topic, 0, null, Integer.toString(i));
        }
        try (TestSocket socket = connect("alice", topic)) {
            socket.send(Frame.subscribe("s1", topic).fromOffsets(Map.of(0, 10L)));
            JsonNode error = socket.answerTo("s1");
            assertEquals("offset_out_of_range", error.get("code").asText(), error.toString());
            assertEquals(0, error.get("available").get("0").get("first").asLong());
            assertEquals(2, error.get("available").get("0").get("last").asLong());
            assertEquals(-1, error.get("available").get("1").get("last").asLong());
            // The failed subscription left nothing behind: the channel can be subscribed again.
            subscribeAndWait(socket, Frame.subscribe("s2", topic).fromOffsets(Map.of(0, 3L)));
        }
    }

    @Test
    void keyFilterDeliversOnlyThatKey() {
        String topic = KafkaTestBroker.createTopic("keyed", 3);
        try (TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s1", topic).with("key", "EURUSD"));
            for (int i = 0; i < 10; i++) {
                KafkaTestBroker.produce(topic, null, i % 2 == 0 ? "EURUSD" : "GBPUSD", Integer.toString(i));
            }
            List<JsonNode> events = socket.events(5);
            assertEquals(List.of("0", "2", "4", "6", "8"), values(events));
            events.forEach(e -> assertEquals("EURUSD", e.get("key").asText()));
            socket.assertNoMoreEvents();
        }
    }

    @Test
    void nonJsonValuesAreDeliveredAsTextOrBase64WithAMarker() {
        String topic = KafkaTestBroker.createTopic("raw", 1);
        try (TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s1", topic));
            KafkaTestBroker.produce(topic, 0, null, "plain text, not JSON");
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                    java.util.Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()),
                    new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, 0, new byte[]{(byte) 0xff}, new byte[]{(byte) 0xc3,
                        0x28})).get();
                producer.send(new ProducerRecord<>(topic, 0, null, null)).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            List<JsonNode> events = socket.events(3);
            assertEquals("plain text, not JSON", events.get(0).get("data").asText());
            assertEquals("text", events.get(0).get("encoding").asText());
            assertEquals("wyg=", events.get(1).get("data").asText());
            assertEquals("base64", events.get(1).get("encoding").asText());
            assertEquals("/w==", events.get(1).get("key").asText());
            assertEquals("base64", events.get(1).get("keyEncoding").asText());
            assertTrue(events.get(2).get("data").isNull());
        }
    }

    @Test
    void subscribingToAChannelNotGrantedIsForbidden() {
        String granted = KafkaTestBroker.createTopic("mine", 1);
        String other = KafkaTestBroker.createTopic("theirs", 1);
        try (TestSocket socket = connect("alice", granted)) {
            socket.send(Frame.subscribe("s1", other));
            assertEquals("forbidden", socket.answerTo("s1").get("code").asText());
            KafkaTestBroker.produce(other, 0, null, "1");
            socket.assertNoMoreEvents();
        }
    }

    @Test
    void unknownChannelsAndDoubleSubscriptionsAreErrors() {
        String topic = KafkaTestBroker.createTopic("twice", 1);
        try (TestSocket socket = connect("alice", "*")) {
            socket.send(Frame.subscribe("s0", "does-not-exist"));
            assertEquals("unknown_channel", socket.answerTo("s0").get("code").asText());
            subscribeAndWait(socket, Frame.subscribe("s1", topic));
            socket.send(Frame.subscribe("s2", topic));
            assertEquals("already_subscribed", socket.answerTo("s2").get("code").asText());
            socket.send(Frame.unsubscribe("u0", "never-subscribed"));
            assertEquals("not_subscribed", socket.answerTo("u0").get("code").asText());
        }
    }

    /** Readers look for added partitions every {@code passerelle.kafka.partition-refresh} (1 s in tests). */
    @Test
    void aPartitionAddedToTheTopicIsDeliveredFromItsStart() {
        String topic = KafkaTestBroker.createTopic("growing", 1);
        try (TestSocket socket = connect("grower", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s1", topic));
            KafkaTestBroker.addPartitions(topic, 2);
            KafkaTestBroker.produce(topic, 1, "k", "\"first on the new partition\"");
            JsonNode event = socket.events(1).get(0);
            assertEquals(1, event.get("partition").asInt(), event.toString());
            assertEquals(0, event.get("offset").asLong(), "read from the partition's start");
            assertEquals("first on the new partition", event.get("data").asText());
        }
    }

    @Test
    void aDeletedChannelEndsItsSubscriptionsWithAFrameThatNamesIt() {
        String topic = KafkaTestBroker.createTopic("deleted", 2);
        KafkaTestBroker.produce(topic, 0, null, "1");
        try (TestSocket live = connect("watcher", topic); TestSocket history = connect("reader", topic)) {
            subscribeAndWait(live, Frame.subscribe("s-live", topic));
            subscribeAndWait(history, Frame.subscribe("s-history", topic).with("from", "earliest"));
            assertEquals("1", history.events(1).get(0).get("data").asText());
            KafkaTestBroker.deleteTopic(topic);
            for (TestSocket socket : List.of(live, history)) {
                JsonNode ended = socket.next(frame -> "error".equals(frame.path("type").asText()));
                assertEquals(topic, ended.path("channel").asText(), ended.toString());
                assertEquals("unknown_channel", ended.path("code").asText(), ended.toString());
                assertTrue(ended.path("id").asText().startsWith("s-"), ended.toString());
                // The socket lives on; the subscription is gone.
                socket.send(Frame.unsubscribe("u", topic));
                assertEquals("not_subscribed", socket.answerTo("u").path("code").asText());
            }
        }
    }

    @Test
    void aChannelDeletedDuringAHistoryReadEndsTheSubscriptionWithAFrameThatNamesIt() {
        String topic = KafkaTestBroker.createTopic("deleted-history", 1);
        int history = 100_000;
        try (var producer = KafkaTestBroker.producer()) {
            for (int i = 0; i < history; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, Integer.toString(i)));
            }
            producer.flush();
        }
        try (TestSocket socket = connect("historian", topic)) {
            socket.send(Frame.subscribe("s-deep", topic).with("from", "earliest"));
            assertEquals("subscribed", socket.next().path("type").asText());
            KafkaTestBroker.deleteTopic(topic);
            int events = 0;
            JsonNode frame = nextOrFail(socket, events);
            while ("event".equals(frame.path("type").asText())) {
                assertEquals(events, frame.path("offset").asLong(), "in order, without a gap");
                events++;
                frame = nextOrFail(socket, events);
            }
            assertEquals("error", frame.path("type").asText(), frame.toString());
            assertEquals("s-deep", frame.path("subscription").asText(), frame.toString());
            assertEquals(topic, frame.path("channel").asText(), frame.toString());
            assertEquals("unknown_channel", frame.path("code").asText(), frame.toString());
            assertTrue(events < history, "the channel was deleted during the history read: " + events + " events");
            socket.assertNoMoreEvents();
        }
    }

    @Test
    void aHistoryLargerThanTheSocketsQueueReachesAReadingClientWhole() {
        String topic = KafkaTestBroker.createTopic("long-history", 1);
        int history = 20_000; // ten times the test profile's passerelle.connection.max-queued-frames
        try (var producer = KafkaTestBroker.producer()) {
            for (int i = 0; i < history; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, Integer.toString(i)));
            }
            producer.flush();
        }
        try (TestSocket socket = connect("archivist", topic)) {
            subscribeAndWait(socket, Frame.subscribe("all", topic).with("from", "earliest"));
            for (int i = 0; i < history; i++) {
                JsonNode event = nextOrFail(socket, i);
                assertEquals(i, event.path("offset").asLong(), event.toString());
            }
            assertFalse(socket.isClosed(), "closed as a slow consumer while it was reading");
        }
    }

    private static JsonNode nextOrFail(TestSocket socket, int events) {
        try {
            return socket.next();
        } catch (AssertionError silent) {
            throw new AssertionError("the subscription went silent after " + events + " events", silent);
        }
    }

    @Test
    void unsubscribeStopsDeliveries() {
        String topic = KafkaTestBroker.createTopic("stop", 1);
        try (TestSocket socket = connect("alice", topic)) {
            subscribeAndWait(socket, Frame.subscribe("s1", topic));
            KafkaTestBroker.produce(topic, 0, null, "1");
            assertEquals("1", socket.events(1).get(0).get("data").toString());
            socket.send(Frame.unsubscribe("u1", topic));
            JsonNode answer = socket.answerTo("u1");
            assertEquals("unsubscribed", answer.get("type").asText());
            assertEquals(topic, answer.get("channel").asText());
            KafkaTestBroker.produce(topic, 0, null, "2");
            socket.assertNoMoreEvents();
        }
    }
}
