package io.passerelle.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;

/** SIGTERM to the packaged gateway: publishes in flight are answered, then every socket is told 1001. */
class DrainIT {

    @Test
    void sigtermAnswersInFlightPublishesClosesSocketsWith1001AndExits() throws Exception {
        String topic = KafkaTestBroker.createTopic("drain", 3);
        GatewayProcess gateway = GatewayProcess
                .start(Map.of("passerelle.drain.timeout", "10s", "passerelle.limits.publish-burst", "1000"));
        String token = TestTokens.token("drainee", List.of(topic), List.of(topic));
        TestSocket publisher = TestSocket.connect(gateway.ws(), token);
        List<TestSocket> subscribers = List.of(TestSocket.connect(gateway.ws(), token),
                TestSocket.connect(gateway.ws(), token), TestSocket.connect(gateway.ws(), token));
        for (TestSocket subscriber : subscribers) {
            subscriber.send(Frame.subscribe("s", topic));
            assertEquals("subscribed", subscriber.answerTo("s").get("type").asText());
        }

        int sent = 300;
        for (int i = 0; i < sent; i++) {
            publisher.send(Frame.publish("p" + i, topic, "p" + i));
        }
        long stopAt = System.nanoTime();
        var exitedAt = gateway.process().onExit().thenApply(ignored -> System.nanoTime());
        gateway.process().destroy(); // SIGTERM
        // While it drains, the replica still answers HTTP: readiness DOWN and upgrades refused, so that traffic
        // moves elsewhere.
        int readiness = 0;
        int upgrade = 0;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while ((readiness != 503 || upgrade != 503) && System.nanoTime() < until && gateway.process().isAlive()) {
            int status = gateway.readinessStatus();
            readiness = status == 503 ? 503 : readiness;
            if (upgrade != 503) {
                try {
                    TestSocket.connect(gateway.ws(), token).close();
                } catch (TestSocket.UpgradeRefused refused) {
                    upgrade = refused.status();
                } catch (IllegalStateException closedAlready) {
                    // the server stopped between two tries
                }
            }
        }
        assertEquals(503, readiness, "readiness goes DOWN during the drain");
        assertEquals(503, upgrade, "new upgrades are refused during the drain");

        Set<String> acked = new HashSet<>();
        int errors = 0;
        for (JsonNode frame : publisher.drain(Duration.ofSeconds(5))) {
            if ("ack".equals(frame.path("type").asText())) {
                acked.add(frame.get("id").asText());
            } else if ("error".equals(frame.path("type").asText())) {
                assertEquals("unavailable", frame.get("code").asText(), frame.toString());
                errors++;
            }
        }
        assertEquals(1001, publisher.awaitClose());
        for (TestSocket subscriber : subscribers) {
            assertEquals(1001, subscriber.awaitClose(), "going away, so clients reconnect elsewhere");
        }
        assertTrue(gateway.process().waitFor(30, TimeUnit.SECONDS), "the gateway exits");
        long exitMillis = TimeUnit.NANOSECONDS.toMillis(exitedAt.get() - stopAt);
        String log = gateway.log();
        assertTrue(log.contains("Drained"), log);

        Set<String> inKafka = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : KafkaTestBroker.readAll(topic, acked.size(),
                Duration.ofSeconds(20))) {
            inKafka.add(new String(record.value(), StandardCharsets.UTF_8).replace("\"", ""));
        }
        System.out.printf("Drain: %d of %d publishes acked, %d refused as unavailable, exit after %d ms%n",
                acked.size(), sent, errors, exitMillis);
        assertEquals(sent, acked.size() + errors, "every publish sent before the signal is answered before the 1001");
        assertTrue(acked.size() > 0, "publishes accepted before the drain are acked");
        assertTrue(inKafka.containsAll(acked), "every acked publish is in Kafka");
    }
}
