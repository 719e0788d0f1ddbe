package io.passerelle.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The harness's arguments: {@code --smoke}, {@code --only=publish,fanout,keyed,topics,latency,idle,avro,tracing,cluster},
 * {@code --fanout-sizes=10,100,1000}, {@code --keyed-sizes=100,1000,10000}, {@code --gateway-jvm=<option>} (once per option), {@code --histogram}.
 */
record BenchOptions(boolean smoke, List<String> scenarios, int[] fanOutSizes, int[] keyedSizes,
        List<String> gatewayJvmOptions, boolean histogram) {

    static BenchOptions parse(List<String> args) {
        boolean smoke = args.contains("--smoke");
        // A fixed, pre-touched heap, as in production: RSS then grows only by what connections hold outside it.
        List<String> jvm = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
        args.stream().filter(a -> a.startsWith("--gateway-jvm=")).map(a -> a.substring("--gateway-jvm=".length()))
                .forEach(jvm::add);
        List<String> scenarios = List.of(option(args, "--only=", String.join(",", Benchmarks.SCENARIOS.keySet()))
                .split(","));
        for (String scenario : scenarios) {
            if (!Benchmarks.SCENARIOS.containsKey(scenario)) {
                throw new IllegalArgumentException("no scenario '" + scenario + "'; the scenarios are "
                        + String.join(",", Benchmarks.SCENARIOS.keySet()));
            }
        }
        return new BenchOptions(smoke, scenarios,
                Arrays.stream(option(args, "--fanout-sizes=", smoke ? "5" : "10,100,1000").split(","))
                        .mapToInt(Integer::parseInt).toArray(),
                Arrays.stream(option(args, "--keyed-sizes=", smoke ? "5,20" : "100,1000,10000").split(","))
                        .mapToInt(Integer::parseInt).toArray(),
                List.copyOf(jvm), args.contains("--histogram"));
    }

    private static String option(List<String> args, String prefix, String otherwise) {
        return args.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst()
                .orElse(otherwise);
    }

    /** The smoke length of a phase, or its full length. */
    int seconds(int smokeSeconds, int fullSeconds) {
        return smoke ? smokeSeconds : fullSeconds;
    }

    /** Waits for the frames and records still on their way when a phase ends: 1 s, a fifth of it in smoke mode. */
    void settle() throws InterruptedException {
        Thread.sleep(smoke ? 200 : 1000);
    }
}
