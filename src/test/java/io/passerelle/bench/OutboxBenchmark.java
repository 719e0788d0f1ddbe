package io.passerelle.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.Metrics;

/**
 * How fast one replica follows the outbox: every replica reads every outbox record, whether or not it holds the
 * target. Produces records addressed to users that are connected nowhere and times how long the replica takes
 * to route them all. Run with {@code ./bench/run.sh outbox} (see docs/benchmarks.md).
 */
public final class OutboxBenchmark {

    private OutboxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        try (GatewayProcess gateway = GatewayProcess.start(Map.of())) {
            Thread.sleep(2000); // the outbox reader positions itself at the end
            double before = routed(gateway);
            byte[] value = ("{\"data\":\"" + "x".repeat(180) + "\"}").getBytes(StandardCharsets.UTF_8);
            long start = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.BATCH_SIZE_CONFIG, "262144"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < records; i++) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("passerelle-target-user", ("user-" + (i % 10_000)).getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<byte[], byte[]>("passerelle.outbox", null, (byte[]) null, value,
                            headers));
                }
            }
            double produced = (System.nanoTime() - start) / 1e9;
            double done;
            do {
                Thread.sleep(100);
                done = routed(gateway) - before;
            } while (done < records && System.nanoTime() - start < 300_000_000_000L);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("outbox: %,d records of 200 B produced in %.2f s (%,.0f/s); one replica had routed "
                    + "them all %.2f s after the first: %,.0f records/s%n", records, produced, records / produced,
                    seconds, done / seconds);
        }
        System.exit(0);
    }

    private static double routed(GatewayProcess gateway) {
        return Metrics.scrape(gateway.http("/q/metrics")).value("passerelle_outbox_records_total");
    }

}
