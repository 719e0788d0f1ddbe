package io.passerelle.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.ProcessProbes;

/**
 * One replica among N, the others simulated: their heartbeats, the lifecycle records of their connections
 * ({@link #CONNECTIONS_PER_REPLICA} each) and the outbox records addressed to their users
 * ({@link #OUTBOX_PER_REPLICA} per second each). For N = 1, 5, 20, 50 it starts a fresh replica and prints its time
 * to ready, its memory 10 s after ready, and the CPU it spends on outbox records meant for the others.
 */
final class ClusterScenario {

    static final int CONNECTIONS_PER_REPLICA = 20_000;
    /** Direct messages per second addressed to one replica's users: one per socket every 20 s. */
    static final int OUTBOX_PER_REPLICA = 1_000;
    private static final String LIFECYCLE = "bench-cluster-lifecycle";
    private static final String OUTBOX = "bench-cluster-outbox";
    private static final String REPLICAS = "bench-cluster-replicas";

    private ClusterScenario() {
    }

    /** What one replica showed at one N. */
    record Point(double readyMillis, double rssMegabytes, double heapMegabytes, double outboxCores,
            double microsPerRecord) {
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", rig.broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(LIFECYCLE, 3, (short) 1), new NewTopic(OUTBOX, 3, (short) 1),
                    new NewTopic(REPLICAS, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        int[] sizes = options.smoke() ? new int[]{1, 5} : new int[]{1, 5, 20, 50};
        int connections = options.smoke() ? 1_000 : CONNECTIONS_PER_REPLICA;
        Map<Integer, Point> points = new LinkedHashMap<>();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, String> producer = rig.producer()) {
            int simulated = 0;
            for (int size : sizes) {
                // The other replicas: their lifecycle history and their heartbeats, from now on every 5 s.
                for (; simulated < size - 1; simulated++) {
                    String tag = String.format(Locale.ROOT, "b%07x", simulated);
                    for (int c = 0; c < connections; c++) {
                        String user = "u-" + tag + "-" + c;
                        long now = System.currentTimeMillis();
                        producer.send(new ProducerRecord<>(LIFECYCLE, user, "{\"event\":\"connected\",\"user\":\""
                                + user + "\",\"connection\":\"" + tag + UUID.randomUUID().toString().substring(8)
                                + "\",\"instance\":\"gw-" + tag + "\",\"timestamp\":" + now + ",\"openedAt\":" + now
                                + ",\"remoteAddress\":\"10.0.0.1:5000\"}"));
                    }
                    String heartbeat = "{\"replica\":\"" + tag + "\",\"instance\":\"gw-" + tag + "\",\"startedAt\":"
                            + System.currentTimeMillis() + ",\"heardAt\":%d,\"state\":\"alive\"}";
                    heartbeats.scheduleAtFixedRate(() -> producer.send(new ProducerRecord<>(REPLICAS, tag,
                            String.format(Locale.ROOT, heartbeat, System.currentTimeMillis()))), 0, 5,
                            TimeUnit.SECONDS);
                }
                producer.flush();
                Thread.sleep(1000);
                points.put(size, measure(rig, options, producer, size, connections));
            }
        } finally {
            heartbeats.shutdownNow();
        }
        Point one = points.get(sizes[0]);
        for (Map.Entry<Integer, Point> entry : points.entrySet()) {
            int size = entry.getKey();
            Point point = entry.getValue();
            String name = "Cluster of " + size + ": ";
            boolean last = size == sizes[sizes.length - 1];
            report.add(name + "time to ready", Report.fmt(point.readyMillis()) + " ms",
                    Report.fmt(Math.max(0, size - 1) * (double) connections) + " connections elsewhere",
                    Report.ratio(point.readyMillis(), one.readyMillis()), last ? "≤ 1.1 × 1 replica" : "");
            report.add(name + "heap after GC / RSS, 10 s after ready", Report.fmt1(point.heapMegabytes()) + " / "
                    + Report.fmt(point.rssMegabytes()) + " MB", "",
                    "RSS " + Report.fmt1(point.rssMegabytes()
                            - one.rssMegabytes()) + " MB more than 1",
                    last ? "RSS ≤ 1 replica + 50 MB" : "");
            report.add(name + "CPU on others' outbox records", Report.fmt1(point.outboxCores() * 100) + " % of a core",
                    Report.fmt((size - 1) * (double) OUTBOX_PER_REPLICA) + " records/s for others, "
                            + Report.fmt1(point.microsPerRecord()) + " µs each",
                    "", "");
        }
        Charts.cluster(points, Benchmarks.OUT.resolve("cluster.png"));
    }

    private static Point measure(BenchRig rig, BenchOptions options, KafkaProducer<String, String> producer, int size,
            int connections) throws Exception {
        long start = System.nanoTime();
        try (GatewayProcess replica = GatewayProcess.start(Map.of("kafka.bootstrap.servers",
                rig.broker.bootstrapServers(), "passerelle.lifecycle.topic", LIFECYCLE, "passerelle.outbox.topic",
                OUTBOX, "passerelle.replicas.topic", REPLICAS, "quarkus.log.level", "WARN"), null,
                List.of("-Xmx512m"))) {
            double readyMillis = (System.nanoTime() - start) / 1e6;
            Thread.sleep(options.seconds(2, 10) * 1000L);
            double rss = ProcessProbes.residentBytes(replica.pid()) / 1048576.0;
            double heap = ProcessProbes.heapAfterGc(replica.pid()) / 1048576.0;

            double atRestBefore = ProcessCpu.seconds(replica.pid());
            Duration trial = Duration.ofSeconds(options.seconds(2, 10));
            Thread.sleep(trial.toMillis());
            double atRest = ProcessCpu.seconds(replica.pid()) - atRestBefore;
            double rate = (size - 1) * (double) OUTBOX_PER_REPLICA;
            double cores = 0;
            double micros = 0;
            if (rate > 0) {
                // A fresh replica compiles its outbox path on the first records: that is not what a record costs.
                produceAtRate(producer, rate, Duration.ofSeconds(options.seconds(1, 10)), connections);
                Thread.sleep(1000);
                double before = ProcessCpu.seconds(replica.pid());
                long sent = produceAtRate(producer, rate, trial, connections);
                Thread.sleep(1000);
                double spent = ProcessCpu.seconds(replica.pid()) - before - atRest * (trial.toMillis() + 1000.0)
                        / trial.toMillis();
                cores = spent / (trial.toMillis() / 1000.0);
                micros = spent * 1e6 / sent;
            }
            System.out.printf(Locale.ROOT, "Cluster of %d: ready in %.0f ms, %.0f MB RSS and %.1f MB heap after GC "
                    + "10 s later; %.0f outbox records/s for the others cost it %.1f %% of a core (%.1f µs each)%n",
                    size, readyMillis, rss, heap, rate, cores * 100, micros);
            return new Point(readyMillis, rss, heap, cores, micros);
        }
    }

    /** Outbox records for users of the simulated replicas, at the rate, for the duration. */
    private static long produceAtRate(KafkaProducer<String, String> producer, double rate, Duration duration,
            int connections) throws InterruptedException {
        long sent = 0;
        long start = System.nanoTime();
        long elapsed;
        while ((elapsed = System.nanoTime() - start) < duration.toNanos()) {
            long due = (long) (elapsed / 1e9 * rate);
            for (; sent < due; sent++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(OUTBOX, null, "{\"n\":" + sent + "}");
                record.headers().add("passerelle-target-user",
                        ("u-b" + String.format(Locale.ROOT, "%07x", sent % 50) + "-" + (sent % connections))
                                .getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            Thread.sleep(1);
        }
        producer.flush();
        return sent;
    }
}
