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
 * Fan-out: N sockets subscribe to one topic; a producer writes at a set rate; the highest rate every socket keeps
 * up with (none closed as a slow consumer, at least 95% of the frames delivered by the end of the trial) is found by
 * bisection below the broadcast ceiling of a plain server.
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
            double gatewayRate = BenchRig.highestSustainedRate(options, ceiling / size,
                    rate -> scenario.trial(size, rate));
            byConnections.put(size, new double[]{gatewayRate, ceiling});
            report.add("Fan-out to " + size + " sockets, frames/s", Report.fmt(gatewayRate),
                    "WebSocket broadcast ceiling " + Report.fmt(ceiling), Report.ratio(gatewayRate, ceiling),
                    size == sizes[sizes.length - 1] ? "≥ 0.6" : "");
        }
        Charts.throughput(byConnections, Benchmarks.OUT.resolve("fanout.png"));
    }

    /** Frames per second delivered at the given record rate, or 0 if a socket fell behind. */
    private double trial(int size, double recordsPerSecond) throws Exception {
        List<WebSocket> sockets = rig.connect(size, "fan");
        AtomicLong frames = new AtomicLong();
        BenchRig.subscribeAll(sockets,
                i -> List.of("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"bench-fanout\"}"), frames);
        double slowBefore = rig.gatewayMetric("passerelle_connections_slow_consumer_total");
        Duration duration = Duration.ofSeconds(options.seconds(2, 5));
        long sent = rig.produceAtRate(recordsPerSecond, duration,
                n -> new ProducerRecord<>("bench-fanout", null, BenchRig.DATA));
        options.settle();
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
