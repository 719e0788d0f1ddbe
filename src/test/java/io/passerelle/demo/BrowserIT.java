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

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.passerelle.testing.ConfluentAvro;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.NodeScript;
import io.passerelle.testing.SchemaRegistryProcess;
import io.passerelle.testing.TestTokens;

/**
 * The demo page and the JavaScript client in real headless Chromium (Debian's chromium, driven by playwright-core):
 * two pages chat, the ticker updates, a cut connection resumes without loss or repetition, and the orders panel
 * publishes to an Avro topic of a real schema registry and shows its records as JSON. Screenshots go to
 * target/browser. .ci/run installs Chromium and the npm packages; elsewhere the test is skipped when they are
 * missing, and fails when CI is set.
 */
class BrowserIT {

    private static final Path SPEC_DIR = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final String ORDERS = "orders-avro";

    @Test
    void twoPagesChatTheTickerUpdatesAndACutConnectionResumes() throws Exception {
        boolean ready = Files.isExecutable(CHROMIUM) && Files.isDirectory(SPEC_DIR.resolve("node_modules"));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(ready, "Chromium or the npm packages are missing: run .ci/run, or "
                    + "apt-get install chromium and npm ci --prefix src/test/browser");
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            for (String topic : List.of("chat", "prices", ORDERS)) {
                if (!existing.contains(topic)) {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                }
            }
        }
        String avsc = Files.readString(Path.of("dev/orders-avro.avsc"));
        AtomicBoolean feeding = new AtomicBoolean(true);
        try (SchemaRegistryProcess registry = SchemaRegistryProcess.start()) {
            int schemaId = registry.register(ORDERS + "-value", "AVRO", avsc);
            Thread feed = new Thread(() -> priceFeed(feeding), "price-feed");
            Thread orders = new Thread(() -> orderFeed(feeding, new Schema.Parser().parse(avsc), schemaId),
                    "order-feed");
            try (GatewayProcess gateway = GatewayProcess.start(Map.of(
                    "passerelle.schemas.registry-url", registry.ccompatUrl(),
                    "passerelle.schemas.value-topics", ORDERS))) {
                feed.start();
                orders.start();
                assertEquals(0, runSpec(gateway, schemaId), "browser steps failed (see the output above)");
            } finally {
                feeding.set(false);
                feed.join(5000);
                orders.join(5000);
            }
        }
    }

    private static int runSpec(GatewayProcess gateway, int schemaId) throws Exception {
        return NodeScript.run(SPEC_DIR, "browser/output.log", Map.of(
                "GATEWAY", "http://127.0.0.1:" + gateway.port(),
                "TOKEN_A", TestTokens.token("alice", List.of("chat", ORDERS), List.of("chat", "prices", ORDERS)),
                "TOKEN_B", TestTokens.token("bob", List.of("chat", ORDERS), List.of("chat", "prices", ORDERS)),
                "SCHEMA_ID", Integer.toString(schemaId),
                "SCREENSHOTS", Path.of("target/browser").toAbsolutePath().toString(),
                "CHROMIUM", CHROMIUM.toString()), Duration.ofMinutes(5), "node", "demo.spec.mjs");
    }

    /** A backend writing orders with Avro's own writer in the Confluent wire format, one a second. */
    private static void orderFeed(AtomicBoolean feeding, Schema schema, int schemaId) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int n = 1; feeding.get(); n++) {
                GenericRecord order = new GenericData.Record(schema);
                order.put("id", "backend-" + n);
                order.put("amount", 100.0 + n);
                order.put("currency", new GenericData.EnumSymbol(schema.getField("currency").schema(), "EUR"));
                order.put("note", "from a backend");
                producer.send(new ProducerRecord<>(ORDERS, ConfluentAvro.encode(schemaId, order)));
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
