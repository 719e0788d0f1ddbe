package io.passerelle.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.NodeScript;
import io.passerelle.testing.TestTokens;

/**
 * The demo page and the JavaScript client in real headless Chromium (Debian's chromium, driven by playwright-core):
 * two pages chat, the ticker updates, a cut connection resumes without loss or repetition. Screenshots go to
 * target/browser. .ci/run installs Chromium and the npm packages; elsewhere the test is skipped when they are
 * missing, and fails when CI is set.
 */
class BrowserIT {

    private static final Path SPEC_DIR = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @Test
    void twoPagesChatTheTickerUpdatesAndACutConnectionResumes() throws Exception {
        boolean ready = Files.isExecutable(CHROMIUM) && Files.isDirectory(SPEC_DIR.resolve("node_modules"));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(ready, "Chromium or the npm packages are missing: run .ci/run, or "
                    + "apt-get install chromium and npm ci --prefix src/test/browser");
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic : List.of("chat", "prices")) {
                if (!existing.contains(topic)) {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                }
            }
        }
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feed = new Thread(() -> priceFeed(feeding), "price-feed");
        try (GatewayProcess gateway = GatewayProcess.start(Map.of())) {
            feed.start();
            assertEquals(0, runSpec(gateway), "browser steps failed (see the output above)");
        } finally {
            feeding.set(false);
            feed.join(5000);
        }
    }

    private static int runSpec(GatewayProcess gateway) throws Exception {
        return NodeScript.run(SPEC_DIR, "browser/output.log", Map.of(
                "GATEWAY", "http://127.0.0.1:" + gateway.port(),
                "TOKEN_A", TestTokens.token("alice", List.of("chat"), List.of("chat", "prices")),
                "TOKEN_B", TestTokens.token("bob", List.of("chat"), List.of("chat", "prices")),
                "SCREENSHOTS", Path.of("target/browser").toAbsolutePath().toString(),
                "CHROMIUM", CHROMIUM.toString()), Duration.ofMinutes(5), "node", "demo.spec.mjs");
    }

    private static void priceFeed(AtomicBoolean feeding) {
        try (KafkaProducer<String, String> producer = KafkaTestBroker.producer()) {
            double price = 1.0842;
            while (feeding.get()) {
                price *= 1 + (Math.random() - 0.5) * 0.0008;
                producer.send(new ProducerRecord<>("prices", "EURUSD", String.format(Locale.ROOT,
                        "{\"pair\":\"EURUSD\",\"bid\":%.6f,\"ask\":%.6f}", price, price * 1.00008)));
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
