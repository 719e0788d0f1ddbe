package io.passerelle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness: starts a Kafka broker and the packaged gateway as processes of their own, drives them with
 * a Vert.x WebSocket client, measures Kafka's own tools on the same broker in the same run, and prints a table
 * (also written with charts to target/bench/). {@code ./bench/run.sh} runs it; {@code --smoke} runs every scenario
 * for a few seconds so that the test suite keeps it working. No number here is asserted. Options:
 * {@link BenchOptions}; one class per scenario.
 */
public final class Benchmarks {

    static final Path OUT = Path.of("target/bench");

    /** Every scenario by the name {@code --only} takes, in the order they run. */
    static final Map<String, Scenario> SCENARIOS = scenarios();

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        run(BenchOptions.parse(Arrays.asList(args)));
        System.exit(0);
    }

    /** The smoke run, for the test suite: every scenario for a few seconds. */
    static void runSmoke() throws Exception {
        run(BenchOptions.parse(List.of("--smoke")));
    }

    private static void run(BenchOptions options) throws Exception {
        Files.createDirectories(OUT);
        KafkaTools kafkaTools = new KafkaTools(Path.of(System.getProperty("kafka.tools", "target/dev-kafka/lib")));
        Report report = new Report();
        try (BenchRig rig = BenchRig.start(options, kafkaTools)) {
            for (Map.Entry<String, Scenario> scenario : SCENARIOS.entrySet()) {
                if (options.scenarios().contains(scenario.getKey())) {
                    long start = System.nanoTime();
                    scenario.getValue().run(rig, options, report);
                    System.out.printf(Locale.ROOT, "Scenario %s: %.0f s%n", scenario.getKey(),
                            (System.nanoTime() - start) / 1e9);
                }
            }
        }
        report.write(OUT, options.smoke());
    }

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        scenarios.put("publish", PublishScenario::run);
        scenarios.put("fanout", FanOutScenario::run);
        scenarios.put("keyed", KeyedFanOutScenario::run);
        scenarios.put("topics", ManyTopicsScenario::run);
        scenarios.put("latency", LatencyScenario::run);
        scenarios.put("idle", IdleScenario::run);
        scenarios.put("avro", AvroScenario::run);
        scenarios.put("tracing", TracingScenario::run);
        scenarios.put("cluster", ClusterScenario::run);
        return Collections.unmodifiableMap(scenarios);
    }

    /** One scenario of the harness: it measures, and adds its rows to the report. */
    @FunctionalInterface
    interface Scenario {
        void run(BenchRig rig, BenchOptions options, Report report) throws Exception;
    }
}
