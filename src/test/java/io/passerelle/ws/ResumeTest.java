package io.passerelle.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;

/** A client that drops its connection resumes from the offsets it saw: no gap, no duplicate. */
@QuarkusTest
class ResumeTest extends GatewayTestBase {

    private static void produce(String topic, int from, int to) {
        try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % 3, "k" + (i % 5), Integer.toString(i)));
            }
        }
    }

    @Test
    void reconnectAndResumeGetsExactlyTheMissedRecords() {
        String topic = KafkaTestBroker.createTopic("resume", 3);
        Set<String> seen = new TreeSet<>();
        Map<Integer, Long> nextOffsets = new HashMap<>();

        TestSocket first = connect("mobile", topic);
        subscribeAndWait(first, Frame.subscribe("s1", topic));
        produce(topic, 0, 60);
        for (JsonNode event : first.events(60)) {
            assertTrue(seen.add(event.get("data").asText()));
            nextOffsets.put(event.get("partition").asInt(), event.get("offset").asLong() + 1);
        }
        first.close(); // the network drops

        produce(topic, 60, 160); // produced while the client was away

        try (TestSocket second = connect("mobile", topic)) {
            subscribeAndWait(second, Frame.subscribe("s2", topic).fromOffsets(nextOffsets));
            produce(topic, 160, 200); // and more once it is back
            List<String> resumed = new ArrayList<>();
            for (JsonNode event : second.events(140)) {
                resumed.add(event.get("data").asText());
            }
            List<JsonNode> extra = second.drain(Duration.ofMillis(700));
            assertTrue(extra.isEmpty(), "duplicates or strays: " + extra);
            for (String value : resumed) {
                assertTrue(seen.add(value), "duplicate " + value);
            }
        }
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            expected.add(Integer.toString(i));
        }
        assertEquals(expected, seen);
    }
}
