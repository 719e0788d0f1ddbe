package io.passerelle.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.fanout.Fanout;
import io.passerelle.testing.Await;
import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.Metrics;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A socket that stops reading fills only its own bounded queue. The test profile bounds queues at 2,000 frames or
 * 4 MiB.
 */
@QuarkusTest
class BackpressureTest extends GatewayTestBase {

    private static final int RECORDS = 30_000;
    private static final String PAYLOAD = "{\"pad\":\"" + "x".repeat(1000) + "\",\"n\":";

    @Inject
    SessionRegistry sessions;

    @Inject
    Fanout fanout;

    private static void produce(String topic, int count) {
        try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, PAYLOAD + i + "}"));
            }
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void aStalledSocketIsClosedAsSlowConsumerWhileOthersGetEverything() {
        String topic = KafkaTestBroker.createTopic("firehose", 1);
        String token = TestTokens.token("stalled", List.of(topic), List.of(topic));
        TestSocket stalled = TestSocket.connectStalled(ws(), token);
        stalled.send(Frame.subscribe("s", topic));
        try (TestSocket reader = connect("reader", topic)) {
            subscribeAndWait(reader, Frame.subscribe("s", topic));
            Await.until("the stalled socket is subscribed", Duration.ofSeconds(60), () -> sessions.all().stream()
                    .anyMatch(s -> s.user().equals("stalled") && s.channels().contains(topic)));
            int openBefore = sessions.size();

            produce(topic, RECORDS);

            List<JsonNode> events = reader.events(RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                assertEquals(i, events.get(i).get("offset").asLong());
            }
            Await.until("the stalled socket is closed", Duration.ofSeconds(60), () -> sessions.all().stream()
                    .noneMatch(s -> s.user().equals("stalled")));
            assertEquals(openBefore - 1, sessions.size());
        } finally {
            stalled.startReading();
            stalled.close();
        }
        long heap = usedHeapAfterGc();
        System.out.printf("Heap used after %,d events of 1 KB to a stalled socket: %,d MB%n", RECORDS,
                heap / (1024 * 1024));
        assertTrue(heap < 512L * 1024 * 1024, "heap stays bounded: " + heap);
        assertTrue(Metrics.scrape().value("passerelle_connections_slow_consumer_total") > 0,
                "the slow-consumer close is counted");
    }

    @Test
    void whenEverySubscriberIsBehindTheReaderPausesAndNothingIsLost() {
        String topic = KafkaTestBroker.createTopic("paused", 1);
        TestSocket lagging = connect("lagging", topic);
        try {
            subscribeAndWait(lagging, Frame.subscribe("s", topic));
            lagging.stopReading();
            produce(topic, RECORDS);
            Await.until("the reader pauses", Duration.ofSeconds(60), () -> fanout.isPaused(topic));
            ClientSession session = sessions.all().stream().filter(s -> s.user().equals("lagging")).findFirst()
                    .orElseThrow();
            assertTrue(session.outbound().queuedFrames() <= 2000, "the queue stays within its bound");

            lagging.startReading();
            List<JsonNode> events = lagging.events(RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                assertEquals(i, events.get(i).get("offset").asLong());
            }
            Await.until("the reader resumes", Duration.ofSeconds(60), () -> !fanout.isPaused(topic));
        } finally {
            lagging.close();
        }
    }
}
