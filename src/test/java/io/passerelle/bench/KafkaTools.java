package io.passerelle.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own measuring tools, run from the jars {@code ./bench/run.sh} (and {@code .ci/run}) fetch, and what their
 * output says. Without the jars there is no Kafka reference in a run.
 */
final class KafkaTools {

    private final Path jars;

    KafkaTools(Path jars) {
        this.jars = jars;
    }

    boolean present() {
        boolean present = Files.isDirectory(jars);
        if (!present) {
            System.out.println("Kafka's tools are not in " + jars + ": no Kafka reference in this run");
        }
        return present;
    }

    Path jars() {
        return jars;
    }

    /**
     * What {@code ProducerPerformance} reached in its measured run: records per second, its CPU time per record in
     * µs; and the runs it took, the earlier ones its warm-up, with the JIT's share of the last one's CPU.
     */
    record ProducerRun(double recordsPerSecond, double cpuMicrosPerRecord, int runs, double lastJitShare,
            Map<String, Double> machineMicros) {

        static final ProducerRun NONE = new ProducerRun(0, 0, 0, 0, Map.of());

        /**
         * The mean of two runs: made one before and one after another measure (A B B A), they cancel a drift of the
         * machine's speed over the scenario, which is larger than the difference between the references.
         */
        static ProducerRun mean(ProducerRun first, ProducerRun second) {
            return new ProducerRun((first.recordsPerSecond + second.recordsPerSecond) / 2,
                    (first.cpuMicrosPerRecord + second.cpuMicrosPerRecord) / 2, Math.max(first.runs, second.runs),
                    Math.max(first.lastJitShare, second.lastJitShare),
                    MachineAccount.mean(first.machineMicros, second.machineMicros));
        }
    }

    /**
     * {@code ProducerPerformance}: records of {@code recordSize} bytes of value, acks=all, no throttle, with the CPU
     * time it used; run again in the same JVM, up to {@code maxRuns} times, until the JIT has settled (see
     * {@link ProducerCpu}).
     */
    ProducerRun producerPerformance(String bootstrap, long brokerPid, String topic, int recordSize, int records,
            int maxRuns) throws Exception {
        String output = run(List.of(jars.toAbsolutePath() + "/*", Path.of("target/test-classes").toAbsolutePath()
                .toString()), ProducerCpu.class.getName(), Integer.toString(maxRuns), Long.toString(brokerPid),
                "--topic", topic,
                "--num-records", Integer.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all");
        // Every run prints its progress and its summary: the last line of each kind is the measured run's.
        Matcher matcher = Pattern.compile("records sent, ([0-9.]+) records/sec").matcher(output);
        double rate = 0;
        while (matcher.find()) {
            rate = Double.parseDouble(matcher.group(1));
        }
        Matcher cpu = Pattern.compile(Pattern.quote(ProducerCpu.PREFIX) + "([0-9.]+) ([0-9.]+) ([0-9]+)")
                .matcher(output);
        if (!cpu.find()) {
            return new ProducerRun(rate, 0, 0, 0, Map.of());
        }
        Matcher account = Pattern.compile(Pattern.quote(ProducerCpu.ACCOUNT) + "(.*)").matcher(output);
        return new ProducerRun(rate, Double.parseDouble(cpu.group(1)) * 1e6 / records,
                Integer.parseInt(cpu.group(3)), Double.parseDouble(cpu.group(2)),
                account.find() ? MachineAccount.read(account.group(1)) : Map.of());
    }

    /** The p50, p99 and p99.9 of {@code EndToEndLatency}, in ms: one message at a time, acks=all. */
    double[] endToEndLatency(String bootstrap, String topic, int messages) throws Exception {
        String output = run(List.of(jars.toAbsolutePath() + "/*"), "org.apache.kafka.tools.EndToEndLatency", bootstrap,
                topic, Integer.toString(messages),
                "all", "200");
        Matcher matcher = Pattern.compile("Percentiles: 50th = ([0-9.]+), 99th = ([0-9.]+), 99.9th = ([0-9.]+)")
                .matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected EndToEndLatency output: " + output);
        }
        return new double[]{Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)),
                Double.parseDouble(matcher.group(3))};
    }

    private static String run(List<String> classpath, String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", String.join(":", classpath), mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(mainClass + " failed: " + output);
        }
        return output;
    }
}
