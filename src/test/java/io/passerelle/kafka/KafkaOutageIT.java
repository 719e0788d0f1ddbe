package io.passerelle.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Await;
import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaBrokerProcess;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;

/**
 * The broker stops mid-stream and comes back. Publishes are answered (never silence), readiness follows Kafka,
 * sockets stay open, and every acknowledged publish is in Kafka afterwards.
 */
class KafkaOutageIT {

    private static final String TOPIC = "outage";

    private final Set<String> acked = new HashSet<>();
    private final List<String> errorCodes = new ArrayList<>();
    private int sequence;

    /** Publishes one record and waits for its answer; returns true when it was acked. */
    private boolean publish(TestSocket socket) {
        String value = "v" + sequence++;
        socket.send(Frame.publish(value, TOPIC, value));
        JsonNode answer = socket.answerTo(value);
        if ("ack".equals(answer.get("type").asText())) {
            acked.add(value);
            return true;
        }
        errorCodes.add(answer.get("code").asText());
        return false;
    }

    @Test
    void publishesAreAnsweredThroughABrokerRestartAndNoAckedRecordIsLost() throws Exception {
        try (KafkaBrokerProcess broker = brokerWithTopic()) {
            try (GatewayProcess gateway = GatewayProcess.start(Map.of(
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "passerelle.kafka.publish-timeout", "3s"));
                    TestSocket publisher = TestSocket.connect(gateway.ws(),
                            TestTokens.token("producer", List.of(TOPIC), List.of(TOPIC)));
                    TestSocket subscriber = TestSocket.connect(gateway.ws(),
                            TestTokens.token("watcher", List.of(TOPIC), List.of(TOPIC)))) {
                subscriber.send(Frame.subscribe("s", TOPIC));
                assertEquals("subscribed", subscriber.answerTo("s").get("type").asText());

                for (int i = 0; i < 50; i++) {
                    assertTrue(publish(publisher), "Kafka is up: every publish is acked");
                }
                subscriber.events(50);

                broker.stop();
                for (int i = 0; i < 5; i++) {
                    publish(publisher); // answered, ack or error, within the publish timeout
                }
                assertTrue(errorCodes.contains("unavailable"), "the outage is reported: " + errorCodes);
                assertTrue(errorCodes.stream().allMatch("unavailable"::equals), errorCodes.toString());
                Await.value("readiness DOWN", Duration.ofSeconds(90), gateway::readinessStatus, 503);
                publisher.send(Frame.ping("alive"));
                assertEquals("pong", publisher.answerTo("alive").get("type").asText(), "sockets stay open");

                broker.restart();
                Await.value("readiness UP", Duration.ofSeconds(90), gateway::readinessStatus, 200);
                int ackedAfter = 0;
                for (int attempts = 0; ackedAfter < 50 && attempts < 200; attempts++) {
                    if (publish(publisher)) {
                        ackedAfter++;
                    }
                }
                assertEquals(50, ackedAfter, "publishing works again without a gateway restart");
                String lastAcked = "v" + (sequence - 1);
                subscriber.next(f -> "event".equals(f.path("type").asText())
                        && lastAcked.equals(f.path("data").asText())); // the subscription continues too
            }
            Set<String> inKafka = readAll(broker.bootstrapServers());
            Set<String> missing = new HashSet<>(acked);
            missing.removeAll(inKafka);
            assertTrue(missing.isEmpty(), "acknowledged but not in Kafka: " + missing);
            System.out.printf("Outage run: %d publishes acked, %d answered with an error, all acked in Kafka%n",
                    acked.size(), errorCodes.size());
        }
    }

    /**
     * With Kafka not answering and the producer's buffer full, {@code send} would block its thread for up to the publish
     * timeout: publishes must then go to the hand-off thread, whose queue is bounded, and the event loop that
     * serves every socket keeps answering. Every publish is still answered.
     */
    @Test
    void aFullProducerBufferNeverHoldsTheEventLoop() throws Exception {
        try (KafkaBrokerProcess broker = brokerWithTopic()) {
            try (GatewayProcess gateway = GatewayProcess.start(Map.of(
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "kafka.buffer.memory", Integer.toString(256 * 1024),
                    "passerelle.kafka.publish-timeout", "4s",
                    // Each publish handed off waits up to the timeout: beyond four, they are answered at once.
                    "passerelle.kafka.max-queued-publishes", "4",
                    "quarkus.http.io-threads", "1", // one loop serves both sockets
                    "passerelle.limits.publish-rate", "100000",
                    "passerelle.limits.publish-burst", "100000"));
                    TestSocket publisher = TestSocket.connect(gateway.ws(),
                            TestTokens.token("producer", List.of(TOPIC), List.of(TOPIC)));
                    TestSocket other = TestSocket.connect(gateway.ws(),
                            TestTokens.token("other", List.of(TOPIC), List.of(TOPIC)))) {
                assertTrue(publish(publisher), "Kafka is up: the producer learns the topic");
                // Frozen, not stopped: its connections stay open and the producer keeps the topic's metadata, so
                // every batch it sends holds its buffer until the request times out.
                signal(broker.pid(), "STOP");

                // 32 records of 8 KB, each in a batch of its own (16 KB): twice the producer's 256 KB buffer.
                String data = "x".repeat(8 * 1024);
                int publishes = 32;
                for (int i = 0; i < publishes; i++) {
                    publisher.send(Frame.publish("big-" + i, TOPIC, data));
                }
                long start = System.nanoTime();
                other.send(Frame.ping("loop"));
                assertEquals("pong", other.answerTo("loop").get("type").asText());
                long pongMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                // A send that blocked on the full buffer would hold the loop for the publish timeout (4 s).
                assertTrue(pongMillis < 2000, "the event loop answered a ping after " + pongMillis + " ms");

                Set<String> answered = new HashSet<>();
                while (answered.size() < publishes) {
                    JsonNode answer = publisher.next(frame -> frame.path("id").asText().startsWith("big-"));
                    assertEquals("error", answer.get("type").asText(), "Kafka is down: " + answer);
                    assertEquals("unavailable", answer.get("code").asText(), answer.toString());
                    answered.add(answer.get("id").asText());
                }
            } finally {
                signal(broker.pid(), "CONT");
            }
        }
    }

    /** A broker of this test's own (it is stopped or frozen) with the test's topic. */
    private static KafkaBrokerProcess brokerWithTopic() throws Exception {
        KafkaBrokerProcess broker = KafkaBrokerProcess.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            return broker;
        } catch (Exception e) {
            broker.close();
            throw e;
        }
    }

    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    private static Set<String> readAll(String bootstrap) {
        Set<String> values = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8).replace("\"", ""));
                }
            }
        }
        return values;
    }
}
