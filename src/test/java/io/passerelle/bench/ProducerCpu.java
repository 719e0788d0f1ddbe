package io.passerelle.bench;

import java.util.Arrays;

/**
 * Runs Kafka's {@code ProducerPerformance} with the given arguments, again in the same JVM until the JIT has settled
 * (its compiler threads used at most {@link WarmUp#SETTLED_SHARE} of a run's CPU) or the first argument's number of
 * runs is reached, and prints the CPU time the last run used, so that the producer's CPU per record is measured warm,
 * like the gateway's, in the same run.
 */
public final class ProducerCpu {

    /** Followed by the last run's CPU seconds, the JIT's share of them, and the number of runs. */
    static final String PREFIX = "producer cpu seconds, jit share, runs: ";

    private ProducerCpu() {
    }

    public static void main(String[] args) throws Exception {
        int maxRuns = Integer.parseInt(args[0]);
        String[] producerArgs = Arrays.copyOfRange(args, 1, args.length);
        long pid = ProcessHandle.current().pid();
        int runs = 0;
        double cpu;
        double share;
        do {
            WarmUp.CpuMark mark = WarmUp.CpuMark.of(pid);
            Class.forName("org.apache.kafka.tools.ProducerPerformance").getMethod("main", String[].class)
                    .invoke(null, (Object) producerArgs);
            runs++;
            cpu = mark.processSince();
            share = mark.compilerShareSince();
        } while (share > WarmUp.SETTLED_SHARE && runs < maxRuns);
        System.out.println(PREFIX + cpu + " " + share + " " + runs);
    }
}
