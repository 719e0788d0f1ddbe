package io.passerelle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark harness: starts a Kafka broker and the packaged gateway as processes of their own, drives them with
 * a Vert.x WebSocket client, measures Kafka's own tools on the same broker in the same run, and prints a table
 * (also written with charts to target/bench/). {@code ./bench/run.sh} runs it; {@code --smoke} runs every scenario
 * for a few seconds so that the test suite keeps it working. No number here is asserted. Options:
 * {@link BenchOptions}; one class per scenario.
 */
public final class Benchmarks {

    static final Path OUT = Path.of("target/bench");

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
            if (options.scenarios().contains("publish")) {
                PublishScenario.run(rig, options, report);
            }
            if (options.scenarios().contains("fanout")) {
                FanOutScenario.run(rig, options, report);
            }
            if (options.scenarios().contains("keyed")) {
                KeyedFanOutScenario.run(rig, options, report);
            }
            if (options.scenarios().contains("topics")) {
                ManyTopicsScenario.run(rig, options, report);
            }
            if (options.scenarios().contains("latency")) {
                LatencyScenario.run(rig, options, report);
            }
            if (options.scenarios().contains("idle")) {
                IdleScenario.run(rig, options, report);
            }
            if (options.scenarios().contains("avro")) {
                AvroScenario.run(rig, options, report);
            }
            if (options.scenarios().contains("tracing")) {
                TracingScenario.run(rig, options, report);
            }
            if (options.scenarios().contains("cluster")) {
                ClusterScenario.run(rig, options, report);
            }
        }
        report.write(OUT, options.smoke());
    }
}
