package io.passerelle.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.vertx.core.http.WebSocket;

/**
 * Fan-out: N sockets subscribe to one topic; a producer writes at a set rate; the highest rate every socket keeps
 * up with is found by bisection below the broadcast ceiling of a plain server.
 */
final class FanOutScenario {

    private final BenchRig rig;
    private final BenchOptions options;

    private FanOutScenario(BenchRig rig, BenchOptions options) {
        this.rig = rig;
        this.options = options;
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        FanOutScenario scenario = new FanOutScenario(rig, options);
        int[] sizes = options.fanOutSizes();
        Map<Integer, double[]> byConnections = new LinkedHashMap<>();
        for (int size : sizes) {
            double ceiling = new Ceilings(rig.vertx).broadcast(size, Duration.ofSeconds(options.seconds(3, 15)));
            double gatewayRate = scenario.highestSustainedRate(size, ceiling);
            byConnections.put(size, new double[]{gatewayRate, ceiling});
            report.add("Fan-out to " + size + " sockets, frames/s", Report.fmt(gatewayRate),
                    "WebSocket broadcast ceiling " + Report.fmt(ceiling), Report.ratio(gatewayRate, ceiling),
                    size == sizes[sizes.length - 1] ? "≥ 0.6" : "");
        }
        Charts.throughput(byConnections, Benchmarks.OUT.resolve("fanout.png"));
    }

    /**
     * The highest delivery rate the gateway sustains to {@code size} sockets: records are produced at a set rate,
     * and a rate counts only if every socket kept up (none closed as a slow consumer, at least 95% of the frames
     * delivered by the end of the trial). A gateway fed faster than its clients read closes the slowest of them,
     * by design, so an unpaced producer would measure that policy rather than the throughput.
     */
    private double highestSustainedRate(int size, double ceiling) throws Exception {
        double low = 0;
        double high = ceiling / size;
        double best = 0;
        int trials = options.smoke() ? 1 : 6;
        for (int trial = 0; trial < trials; trial++) {
            double recordsPerSecond = options.smoke() ? high / 8 : (low + high) / 2;
            double delivered = trial(size, recordsPerSecond);
            if (delivered > 0) {
                best = Math.max(best, delivered);
                low = recordsPerSecond;
            } else {
                high = recordsPerSecond;
            }
        }
        return best;
    }

    /** Frames per second delivered at the given record rate, or 0 if a socket fell behind. */
    private double trial(int size, double recordsPerSecond) throws Exception {
        List<WebSocket> sockets = rig.connect(size, "fan");
        AtomicLong frames = new AtomicLong();
        BenchRig.subscribeAll(sockets,
                i -> List.of("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"bench-fanout\"}"), frames);
        double slowBefore = rig.gatewayMetric("passerelle_connections_slow_consumer_total");
        Duration duration = Duration.ofSeconds(options.seconds(2, 5));
        long sent = 0;
        try (KafkaProducer<String, String> producer = rig.producer()) {
            long start = System.nanoTime();
            long elapsed;
            while ((elapsed = System.nanoTime() - start) < duration.toNanos()) {
                long due = (long) (elapsed / 1e9 * recordsPerSecond);
                for (; sent < due; sent++) {
                    producer.send(new ProducerRecord<>("bench-fanout", null, BenchRig.DATA));
                }
                Thread.sleep(1);
            }
        }
        Thread.sleep(1000); // the frames still on their way
        long received = frames.get();
        BenchRig.closeAll(sockets);
        double dropped = rig.gatewayMetric("passerelle_connections_slow_consumer_total") - slowBefore;
        boolean keptUp = dropped == 0 && received >= 0.95 * sent * size;
        double rate = received / (double) duration.toSeconds();
        System.out.printf(Locale.ROOT, "Fan-out to %d sockets at %,.0f records/s: %,.0f frames/s, %s%n", size,
                recordsPerSecond, rate, keptUp ? "kept up" : "fell behind (" + (long) dropped + " closed)");
        return keptUp ? rate : 0;
    }
}
