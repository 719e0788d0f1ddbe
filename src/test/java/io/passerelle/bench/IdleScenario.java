package io.passerelle.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.http.WebSocket;

/**
 * Idle connections: 19,000 sockets with RS256 tokens (1,000 users), 200 handshakes in flight; the connect rate, and
 * the gateway's heap after a forced GC and its RSS, before and after.
 */
final class IdleScenario {

    private IdleScenario() {
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        int target = options.smoke() ? 200 : 19_000;
        // Warm up the connection path first, so that the baseline already holds the buffers and classes it uses.
        BenchRig.closeAll(rig.connect(Math.min(1000, target), "warm-up"));
        // RSS is read before any forced GC on both sides: a GC may hand memory back and hide the growth.
        long rssBefore = rig.rss();
        rig.jcmd("GC.run");
        long heapBefore = rig.heapUsed();
        Map<String, long[]> histogramBefore = options.histogram() ? rig.classHistogram() : Map.of();
        List<String> tokens = BenchRig.tokens(target, "idle");
        long start = System.nanoTime();
        List<WebSocket> sockets = rig.connect(target, tokens);
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(2000);
        long rssAfter = rig.rss();
        rig.jcmd("GC.run");
        long heapAfter = rig.heapUsed();
        if (options.histogram()) {
            System.out.println("Classes holding most of the growth, per connection (bytes, instances):");
            printGrowth(histogramBefore, rig.classHistogram(), target);
        }
        BenchRig.closeAll(sockets);
        double heapPer = (heapAfter - heapBefore) / (double) target;
        double rssPer = (rssAfter - rssBefore) / (double) target;
        report.add("Idle authenticated connections", Report.fmt(target), "", "", "≥ 19,000");
        report.add("Connect rate with RS256 tokens, per s", Report.fmt(target / connectSeconds), "", "", "≥ 1,500");
        report.add("Retained heap per connection", Report.fmt1(heapPer / 1024) + " KB", "", "", "≤ 10 KB");
        // The heap is committed up front, so RSS grows only by native memory; a connection's resident cost is its
        // share of the heap plus that growth.
        report.add("RSS per connection (heap share + native growth)",
                Report.fmt1(heapPer / 1024) + " + " + Report.fmt1(Math.max(0, rssPer) / 1024) + " KB", "", "",
                "≤ 20 KB");
    }

    private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int connections) {
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[]{
                        e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(80)
                .forEach(e -> System.out.printf(Locale.ROOT, "%8.1f %6.2f  %s%n",
                        e.getValue()[1] / (double) connections, e.getValue()[0] / (double) connections,
                        e.getKey()));
    }
}
