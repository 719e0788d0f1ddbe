package io.passerelle.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.session.SessionRegistry;
import io.passerelle.testing.Await;
import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SharedReadTest extends GatewayTestBase {

    @Inject
    Fanout fanout;

    @Inject
    SessionRegistry sessions;

    /** The default of {@code passerelle.kafka.reader-threads}. */
    private static final int READER_THREADS = 4;

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void socketsSubscribedToOneTopicShareOneKafkaReadAndEachGetsEveryRecordOnceInOrder() throws Exception {
        String topic = KafkaTestBroker.createTopic("shared", 3);
        int count = 300;
        try (TestSocket a = connect("alice", topic);
                TestSocket b = connect("bob", topic);
                TestSocket c = connect("carol", topic)) {
            subscribeAndWait(a, Frame.subscribe("s", topic));
            subscribeAndWait(b, Frame.subscribe("s", topic));
            subscribeAndWait(c, Frame.subscribe("s", topic).with("from", "earliest"));
            assertTrue(fanout.readsTopic(topic));
            assertTrue(threadsNamed("passerelle-reader-") <= READER_THREADS, "reader threads are a fixed pool");
            try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
                for (int i = 0; i < count; i++) {
                    producer.send(new ProducerRecord<>(topic, "k" + (i % 7), Integer.toString(i)));
                }
            }
            for (TestSocket socket : List.of(a, b, c)) {
                List<JsonNode> events = socket.events(count);
                long[] lastOffset = {-1, -1, -1};
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (JsonNode event : events) {
                    int partition = event.get("partition").asInt();
                    long offset = event.get("offset").asLong();
                    assertTrue(offset > lastOffset[partition], "out of order: " + event);
                    lastOffset[partition] = offset;
                    assertTrue(seen.add(event.get("data").asText()), "duplicate: " + event);
                }
                assertEquals(count, seen.size());
            }
            assertTrue(threadsNamed("passerelle-reader-") <= READER_THREADS, "reader threads are a fixed pool");
        }
    }

    @Test
    void closingReleasesSubscriptionsReadersThreadsAndRegistryEntries() {
        List<String> topics = List.of(KafkaTestBroker.createTopic("cycle-a", 2),
                KafkaTestBroker.createTopic("cycle-b", 1));
        int before = sessions.size();
        for (int i = 0; i < 40; i++) {
            try (TestSocket socket = connect("cycler", topics.toArray(String[]::new))) {
                subscribeAndWait(socket, Frame.subscribe("a", topics.get(0)));
                subscribeAndWait(socket,
                        Frame.subscribe("b", topics.get(1)).with("from", i % 2 == 0 ? "earliest" : "latest"));
            }
        }
        Await.until("every session closed", Duration.ofSeconds(20), () -> sessions.size() == before);
        Await.until("readers retired", Duration.ofSeconds(20),
                () -> topics.stream().noneMatch(fanout::readsTopic));
        Await.until("history reads finished", Duration.ofSeconds(20), () -> fanout.activeHistoryReads() == 0);
        assertTrue(threadsNamed("passerelle-reader-") <= READER_THREADS, "reader threads are a fixed pool");
    }
}
