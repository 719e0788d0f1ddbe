package io.passerelle.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.passerelle.testing.ConfluentAvro;
import io.passerelle.testing.SchemaRegistryProcess;
import io.vertx.core.http.WebSocket;

/**
 * The same quote, about 200 bytes of JSON, through an Avro topic (a real registry: the gateway decodes each record to
 * JSON, validates and encodes each publish) and through a plain JSON topic, in the same run: acked publishes per
 * second and CPU per acked publish, then CPU per delivered event with 100 subscribers.
 */
final class AvroScenario {

    static final String TOPIC = "bench-avro";
    static final String JSON_TOPIC = "bench-avro-json";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Quote\",\"fields\":["
            + "{\"name\":\"symbol\",\"type\":\"string\"},{\"name\":\"bid\",\"type\":\"double\"},"
            + "{\"name\":\"ask\",\"type\":\"double\"},{\"name\":\"venue\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":\"string\"}]}";
    private static final String NOTE = "x".repeat(120);
    static final String DATA = "{\"symbol\":\"EURUSD\",\"bid\":1.0842,\"ask\":1.0844,\"venue\":\"XLON\",\"note\":\""
            + NOTE + "\"}";

    private AvroScenario() {
    }

    /** The registry for the run, or null (printed) when it cannot run here. */
    static SchemaRegistryProcess registry() {
        try {
            return SchemaRegistryProcess.start();
        } catch (Exception e) {
            System.out.println("Avro scenario skipped: " + e.getMessage());
            return null;
        }
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        if (rig.registry == null) {
            report.add("Avro topic", "skipped", "no schema registry could run", "", "");
            return;
        }
        int schemaId = rig.registry.register(TOPIC + "-value", "AVRO", SCHEMA);
        Duration warmUp = Duration.ofSeconds(options.seconds(1, 5));
        Duration duration = Duration.ofSeconds(options.seconds(2, 15));
        List<WebSocket> publishers = rig.connect(options.smoke() ? 4 : 32, "avro-publisher");
        double[][] publish = new double[2][];
        // Each topic twice, in turn, the second of each measured: neither is favoured by running after the other.
        List<String> turns = List.of(JSON_TOPIC, TOPIC, JSON_TOPIC, TOPIC);
        for (String topic : turns) {
            PublishScenario.publishLoad(publishers, warmUp, PublishScenario.ACK, topic, DATA);
            double before = rig.cpuSeconds();
            PublishScenario.Load load = PublishScenario.publishLoad(publishers, duration, PublishScenario.ACK, topic,
                    DATA);
            double micros = load.answered() == 0 ? 0 : (rig.cpuSeconds() - before) * 1e6 / load.answered();
            System.out.printf(Locale.ROOT, "Publish to %s: %,.0f acked/s, %.1f µs CPU each%n", topic,
                    load.perSecond(), micros);
            publish[topic.equals(TOPIC) ? 1 : 0] = new double[]{load.perSecond(), micros};
        }
        BenchRig.closeAll(publishers);
        report.add("Avro topic, publish: acked/s", Report.fmt(publish[1][0]), "JSON topic " + Report.fmt(publish[0][0]),
                Report.ratio(publish[1][0], publish[0][0]), "");
        report.add("Avro topic, publish: CPU per acked publish", Report.fmt1(publish[1][1]) + " µs",
                "JSON topic " + Report.fmt1(publish[0][1]) + " µs", Report.ratio(publish[1][1], publish[0][1]), "");

        int subscribers = options.smoke() ? 5 : 100;
        // Low enough for the load client to read every frame: a socket that falls behind is closed (1008).
        double rate = options.smoke() ? 100 : 500;
        List<WebSocket> sockets = rig.connect(subscribers, "avro-subscriber");
        AtomicLong events = new AtomicLong();
        BenchRig.subscribeAll(sockets, i -> List.of(
                "{\"type\":\"subscribe\",\"id\":\"a\",\"channel\":\"" + TOPIC + "\"}",
                "{\"type\":\"subscribe\",\"id\":\"j\",\"channel\":\"" + JSON_TOPIC + "\"}"), events);
        byte[] avro = confluentWireFormat(schemaId);
        byte[] json = DATA.getBytes(StandardCharsets.UTF_8);
        double[] fanOut = new double[2];
        double slowBefore = rig.gatewayMetric("passerelle_connections_slow_consumer_total");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                rig.broker.bootstrapServers(), "linger.ms", "1", "acks", "1"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String topic : turns) {
                byte[] value = topic.equals(TOPIC) ? avro : json;
                produceAtRate(producer, rate, warmUp, n -> new ProducerRecord<>(topic, value));
                options.settle();
                long eventsBefore = events.get();
                double before = rig.cpuSeconds();
                produceAtRate(producer, rate, duration, n -> new ProducerRecord<>(topic, value));
                options.settle();
                long delivered = events.get() - eventsBefore;
                double micros = delivered == 0 ? 0 : (rig.cpuSeconds() - before) * 1e6 / delivered;
                fanOut[topic.equals(TOPIC) ? 1 : 0] = micros;
                System.out.printf(Locale.ROOT, "Fan-out of %s to %d subscribers: %,d events of %,.0f, %.2f µs CPU "
                        + "each%n", topic, subscribers, delivered, rate * duration.toSeconds() * subscribers, micros);
            }
            if (rig.gatewayMetric("passerelle_connections_slow_consumer_total") > slowBefore) {
                throw new IllegalStateException("subscribers were closed as slow consumers: the figures are void");
            }
        } finally {
            BenchRig.closeAll(sockets);
        }
        report.add("Avro topic, fan-out to " + subscribers + ": CPU per delivered event", Report.fmt2(fanOut[1])
                + " µs", "JSON topic " + Report.fmt2(fanOut[0]) + " µs", Report.ratio(fanOut[1], fanOut[0]), "");
    }

    static void produceAtRate(KafkaProducer<byte[], byte[]> producer, double rate, Duration duration,
            LongFunction<ProducerRecord<byte[], byte[]>> record) throws InterruptedException {
        long sent = 0;
        long start = System.nanoTime();
        long elapsed;
        while ((elapsed = System.nanoTime() - start) < duration.toNanos()) {
            for (long due = (long) (elapsed / 1e9 * rate); sent < due; sent++) {
                producer.send(record.apply(sent));
            }
            Thread.sleep(1);
        }
        producer.flush();
    }

    /** The quote as a Confluent-format Avro serializer writes it. */
    private static byte[] confluentWireFormat(int schemaId) {
        Schema schema = new Schema.Parser().parse(SCHEMA);
        GenericRecord quote = new GenericData.Record(schema);
        quote.put("symbol", "EURUSD");
        quote.put("bid", 1.0842);
        quote.put("ask", 1.0844);
        quote.put("venue", "XLON");
        quote.put("note", NOTE);
        return ConfluentAvro.encode(schemaId, quote);
    }
}
