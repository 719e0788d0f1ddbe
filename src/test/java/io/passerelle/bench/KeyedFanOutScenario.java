package io.passerelle.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.vertx.core.http.WebSocket;

/**
 * Keyed fan-out: N sockets each subscribe to a key of their own of one topic, and every record is for exactly one
 * socket (keys in turn). It measures what the principle "a record costs in proportion to the sockets it reaches"
 * promises: the gateway's CPU per delivered record (process CPU time over the trial / records delivered) at a fixed
 * rate, and the highest rate at which every socket kept up (bisection, none closed, at least 95% delivered).
 */
final class KeyedFanOutScenario {

    static final String TOPIC = "bench-keyed";
    /**
     * The rate at which CPU per record is compared across sizes: high enough that the per-record work outweighs
     * what the gateway spends on its own (pings, sweeps, metadata), low enough for every size to keep up.
     */
    private static final double CPU_RATE = 20_000;

    private final BenchRig rig;
    private final BenchOptions options;

    private KeyedFanOutScenario(BenchRig rig, BenchOptions options) {
        this.rig = rig;
        this.options = options;
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        KeyedFanOutScenario scenario = new KeyedFanOutScenario(rig, options);
        Map<Integer, double[]> bySize = new LinkedHashMap<>();
        double cpuAtSmallest = 0;
        int[] sizes = options.keyedSizes();
        for (int size : sizes) {
            List<WebSocket> sockets = scenario.subscribeKeyed(size);
            AtomicLong frames = scenario.counter;
            try {
                // A first trial warms the path up (and lets the subscribe burst settle); the second is measured.
                scenario.trial(sockets, frames, options.smoke() ? 500 : CPU_RATE);
                double atRest = scenario.coresAtRest();
                Trial cpu = scenario.trial(sockets, frames, options.smoke() ? 500 : CPU_RATE);
                double best = BenchRig.highestSustainedRate(options, options.smoke() ? 4_000 : 80_000, rate -> {
                    Trial trial = scenario.trial(sockets, frames, rate);
                    return trial.keptUp ? trial.deliveredPerSecond : 0;
                });
                if (size == sizes[0]) {
                    cpuAtSmallest = cpu.microsPerRecord;
                }
                bySize.put(size, new double[]{cpu.microsPerRecord, best});
                // What the gateway spends with no record flowing (pings, sweeps, polls), spread over the records
                // of the measured trial, is part of the figure above; this shows how much.
                report.add("Keyed fan-out, " + Report.fmt(size) + " subscribers: gateway CPU at rest",
                        Report.fmt1(atRest * 100) + " % of a core",
                        Report.fmt1(atRest * 1e6 / CPU_RATE) + " µs of each record above", "", "");
                report.add("Keyed fan-out, " + Report.fmt(size) + " subscribers: gateway CPU per delivered record",
                        Report.fmt1(cpu.microsPerRecord) + " µs", "at " + Report.fmt(CPU_RATE) + " records/s",
                        size == sizes[0] ? "" : Report.fmt1(cpu.microsPerRecord / cpuAtSmallest) + " × " + sizes[0],
                        size == sizes[sizes.length - 1] ? "≤ 1.5 × " + sizes[0] : "");
                report.add("Keyed fan-out, " + Report.fmt(size) + " subscribers: records/s every socket keeps up with",
                        Report.fmt(best), "", "", size == sizes[sizes.length - 1] ? "≥ 10,000" : "");
            } finally {
                BenchRig.closeAll(sockets);
            }
        }
        Charts.keyed(bySize, Benchmarks.OUT.resolve("keyed-fanout.png"));
    }

    private AtomicLong counter;

    /** The gateway's CPU with every socket subscribed and no record flowing, in cores. */
    private double coresAtRest() throws Exception {
        double before = rig.cpuSeconds();
        long start = System.nanoTime();
        Thread.sleep(options.seconds(1, 5) * 1000L);
        return (rig.cpuSeconds() - before) / ((System.nanoTime() - start) / 1e9);
    }

    /** Opens {@code size} sockets; socket i subscribes to key {@code k<i>} and counts its events. */
    private List<WebSocket> subscribeKeyed(int size) throws Exception {
        List<WebSocket> sockets = rig.connect(size, "keyed");
        counter = new AtomicLong();
        BenchRig.subscribeAll(sockets, i -> List.of(
                "{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + TOPIC + "\",\"key\":\"k" + i + "\"}"),
                counter);
        return sockets;
    }

    private record Trial(boolean keptUp, double deliveredPerSecond, double microsPerRecord) {
    }

    /** Produces records for key k0, k1, … in turn at the rate; each is for exactly one socket. */
    private Trial trial(List<WebSocket> sockets, AtomicLong frames, double recordsPerSecond) throws Exception {
        int size = sockets.size();
        double slowBefore = rig.gatewayMetric("passerelle_connections_slow_consumer_total");
        long framesBefore = frames.get();
        Duration duration = Duration.ofSeconds(options.seconds(2, 5));
        double cpuBefore = rig.cpuSeconds();
        long sent = rig.produceAtRate(recordsPerSecond, duration,
                n -> new ProducerRecord<>(TOPIC, "k" + (n % size), BenchRig.DATA));
        options.settle();
        double cpu = rig.cpuSeconds() - cpuBefore;
        long received = frames.get() - framesBefore;
        double dropped = rig.gatewayMetric("passerelle_connections_slow_consumer_total") - slowBefore;
        boolean keptUp = dropped == 0 && received >= 0.95 * sent;
        double perSecond = received / (double) duration.toSeconds();
        double micros = received == 0 ? 0 : cpu * 1e6 / received;
        System.out.printf(Locale.ROOT,
                "Keyed fan-out, %d subscribers, at %,.0f records/s: %,.0f delivered/s, %.1f µs CPU each, %s%n",
                size, recordsPerSecond, perSecond, micros,
                keptUp ? "kept up" : "fell behind (" + (long) dropped + " closed)");
        if (dropped > 0) {
            throw new IllegalStateException("sockets were closed as slow consumers; the trial's sockets are gone");
        }
        return new Trial(keptUp, perSecond, micros);
    }
}
