package io.passerelle.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.http.WebSocket;

/**
 * Latency: one socket publishes at 1,000 msg/s, another receives; send to receive in the client's clock, against
 * Kafka's {@code EndToEndLatency}.
 */
final class LatencyScenario {

    private LatencyScenario() {
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        int rate = 1000;
        Duration duration = Duration.ofSeconds(options.seconds(3, 30));
        List<WebSocket> sockets = rig.connect(2, "latency");
        WebSocket publisher = sockets.get(0);
        WebSocket subscriber = sockets.get(1);
        ConcurrentLinkedQueue<Long> samples = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Pattern sentAt = Pattern.compile("\"t\":([0-9]+)");
        subscriber.textMessageHandler(text -> {
            if (text.startsWith("{\"type\":\"event\"")) {
                Matcher matcher = sentAt.matcher(text);
                if (matcher.find()) {
                    samples.add(System.nanoTime() - Long.parseLong(matcher.group(1)));
                }
            } else if (text.startsWith("{\"type\":\"subscribed\"")) {
                ready.complete(null);
            }
        });
        publisher.textMessageHandler(text -> {
        });
        subscriber.writeTextMessage("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"bench-latency\"}");
        ready.get(30, TimeUnit.SECONDS);
        String pad = "x".repeat(160);
        // Unmeasured first: the path is compiled (the JIT takes most of a core for seconds) before it is timed.
        publish(publisher, rate, Duration.ofSeconds(options.seconds(1, 10)), pad);
        options.settle();
        samples.clear();
        publish(publisher, rate, duration, pad);
        Thread.sleep(2000);
        BenchRig.closeAll(sockets);
        long[] nanos = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = percentile(nanos, 50);
        double p99 = percentile(nanos, 99);
        double p999 = percentile(nanos, 99.9);
        double[] kafka = rig.kafkaTools.present()
                ? rig.kafkaTools.endToEndLatency(rig.broker.bootstrapServers(), "bench-kafka-e2e",
                        options.smoke() ? 2000 : 20_000)
                : new double[]{Double.NaN, Double.NaN, Double.NaN};
        report.add("End-to-end latency p50 / p99 / p99.9 at 1,000 msg/s (ms)",
                Report.fmt2(p50) + " / " + Report.fmt2(p99) + " / " + Report.fmt2(p999),
                "EndToEndLatency " + Report.fmt2(kafka[0]) + " / " + Report.fmt2(kafka[1]) + " / "
                        + Report.fmt2(kafka[2]),
                "p99 " + Report.fmt2(p99) + " vs " + Report.fmt2(2 * kafka[1] + 2), "p99 ≤ 2 × Kafka's + 2 ms");
        Charts.latency(nanos, Benchmarks.OUT.resolve("latency.png"));
    }

    /** Publishes at the rate for the duration; each record carries its send time in {@code t}. */
    private static void publish(WebSocket publisher, int rate, Duration duration, String pad)
            throws InterruptedException {
        long start = System.nanoTime();
        long sent = 0;
        while (System.nanoTime() - start < duration.toNanos()) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            while (sent < due) {
                publisher.writeTextMessage("{\"type\":\"publish\",\"id\":\"" + sent
                        + "\",\"channel\":\"bench-latency\",\"data\":{\"t\":" + System.nanoTime() + ",\"p\":\"" + pad
                        + "\"}}");
                sent++;
            }
            Thread.sleep(0, 200_000);
        }
    }

    private static double percentile(long[] sortedNanos, double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(percentile / 100 * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }
}
