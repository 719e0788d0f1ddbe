package io.passerelle.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every subscribed topic of the replica is read by a fixed pool of reader loops: many topics cost no thread each,
 * and the guarantees hold for a topic that shares its loop with busy ones.
 */
@QuarkusTest
class PooledReadersTest extends GatewayTestBase {

    /** The default of {@code passerelle.kafka.reader-threads}. */
    private static final int READER_THREADS = 4;

    @Inject
    Fanout fanout;

    private static long readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("passerelle-reader-")).count();
    }

    private static List<JsonNode> eventsOf(TestSocket socket, String subscription, int count) {
        List<JsonNode> events = new ArrayList<>();
        while (events.size() < count) {
            events.add(socket.next(frame -> "event".equals(frame.path("type").asText())
                    && subscription.equals(frame.path("subscription").asText())));
        }
        return events;
    }

    @Test
    void twoHundredTopicsAreReadByThePoolAlone() {
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            topics.add(KafkaTestBroker.createTopic("many", 1));
        }
        List<TestSocket> sockets = new ArrayList<>();
        try {
            // The test profile allows 10 subscriptions a socket: 20 sockets of 10 topics each. The clients run in
            // this JVM too: they connect first, so that the threads counted are the gateway's.
            for (int s = 0; s < 20; s++) {
                sockets.add(connect("many-" + s, topics.subList(s * 10, (s + 1) * 10).toArray(String[]::new)));
            }
            int threadsBefore = Thread.activeCount();
            for (int s = 0; s < 20; s++) {
                List<String> mine = topics.subList(s * 10, (s + 1) * 10);
                TestSocket socket = sockets.get(s);
                for (String topic : mine) {
                    socket.send(Frame.subscribe(topic, topic));
                }
                // Answers come in the order the topics' loops reach them, not in the order sent.
                java.util.Set<String> unanswered = new java.util.HashSet<>(mine);
                while (!unanswered.isEmpty()) {
                    JsonNode answer = socket.next();
                    assertEquals("subscribed", answer.get("type").asText(), answer.toString());
                    unanswered.remove(answer.get("id").asText());
                }
            }
            topics.forEach(topic -> assertTrue(fanout.readsTopic(topic), topic));
            assertTrue(readerThreads() <= READER_THREADS, readerThreads() + " reader threads");
            assertTrue(fanout.readerLoops() <= READER_THREADS);
            assertTrue(Thread.activeCount() - threadsBefore < 10,
                    "200 topics added " + (Thread.activeCount() - threadsBefore) + " threads");
            // Every topic is live: a record on each reaches its socket.
            try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
                topics.forEach(topic -> producer.send(new ProducerRecord<>(topic, "k", topic)));
            }
            for (int s = 0; s < 20; s++) {
                List<String> received = sockets.get(s).events(10).stream().map(e -> e.get("data").asText())
                        .sorted().toList();
                assertEquals(topics.subList(s * 10, (s + 1) * 10).stream().sorted().toList(), received);
            }
        } finally {
            sockets.forEach(TestSocket::close);
        }
    }

    @Test
    void subscriptionsJoinAtTheExactPositionAndHandOverWhileOtherTopicsOfTheLoopAreBusy() throws Exception {
        // More busy topics than loops: whatever loop the quiet topic lands on also reads a busy one.
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < READER_THREADS + 1; i++) {
            busy.add(KafkaTestBroker.createTopic("busy", 2));
        }
        String quiet = KafkaTestBroker.createTopic("quiet", 2);
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread flood = new Thread(() -> {
            try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
                for (long n = 0; producing.get(); n++) {
                    for (String topic : busy) {
                        producer.send(new ProducerRecord<>(topic, "k" + (n % 5), "{\"n\":" + n + "}"));
                    }
                    Thread.sleep(1); // about a thousand records a second per topic: busy, not a memory test
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<String> all = new ArrayList<>(busy);
        all.add(quiet);
        try (TestSocket flooded = connect("flooded", all.toArray(String[]::new));
                TestSocket joiner = connect("joiner", all.toArray(String[]::new))) {
            for (String topic : busy) {
                subscribeAndWait(flooded, Frame.subscribe(topic, topic));
            }
            flood.start();
            Thread.sleep(500);
            // Latest, on a busy topic: the first event is at the offset subscribed named, then no gap.
            joiner.send(Frame.subscribe("live", busy.get(0)));
            JsonNode subscribed = joiner.answerTo("live");
            assertEquals("subscribed", subscribed.get("type").asText(), subscribed.toString());
            long[] next = {subscribed.get("offsets").get("0").asLong(), subscribed.get("offsets").get("1").asLong()};
            for (JsonNode event : joiner.events(400)) {
                int partition = event.get("partition").asInt();
                assertEquals(next[partition], event.get("offset").asLong(), "no gap, no repeat: " + event);
                next[partition]++;
            }
            joiner.send(Frame.unsubscribe("u", busy.get(0)));
            joiner.answerTo("u");

            // Earliest, on a busy topic: history then live, each offset once, in order, from 0.
            joiner.send(Frame.subscribe("history", busy.get(1)).with("from", "earliest"));
            assertEquals("subscribed", joiner.answerTo("history").get("type").asText());
            long[] expected = {0, 0};
            List<JsonNode> events = eventsOf(joiner, "history", 3000);
            for (JsonNode event : events) {
                int partition = event.get("partition").asInt();
                assertEquals(expected[partition], event.get("offset").asLong(), "history hand-over: " + event);
                expected[partition]++;
            }
            joiner.send(Frame.unsubscribe("u2", busy.get(1)));
            joiner.answerTo("u2");

            // The quiet topic shares a loop with a busy one: nothing appended after subscribed is missed.
            subscribeAndWait(joiner, Frame.subscribe("quiet", quiet));
            try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>(quiet, "q" + (i % 3), Integer.toString(i)));
                }
            }
            List<JsonNode> quietEvents = eventsOf(joiner, "quiet", 100);
            assertEquals(100, quietEvents.stream().map(e -> e.get("data").asText()).distinct().count());
            assertTrue(!flooded.isClosed());
        } finally {
            producing.set(false);
            flood.join(10_000);
        }
    }
}
