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
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
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
