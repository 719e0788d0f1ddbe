package io.passerelle.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Drives a process under load until its JIT has settled, so that a measured CPU per unit is the compiled code's and
 * not the compiler's. On this two-core machine, shared by the broker, the gateway and the load client, C2 needs
 * about a minute of full load to compile the gateway's hot path; until then its compiler threads take 30 to 50 % of
 * the gateway's CPU, which a fixed five-second warm-up counted as the gateway's cost.
 */
final class WarmUp {

    /** The JIT counts as settled in a window where its threads used at most this share of the process's CPU. */
    static final double SETTLED_SHARE = 0.05;

    /** One load window of the given length on the process being warmed. */
    @FunctionalInterface
    interface Load {
        void run(Duration window) throws Exception;
    }

    /** How a warm-up went: the load it took, and the JIT's share of the process's CPU in its last window. */
    record Result(Duration took, double lastShare) {

        boolean settled() {
            return lastShare <= SETTLED_SHARE;
        }

        String describe() {
            return String.format(Locale.ROOT, "%d s of load, JIT %.0f %% of the last window's CPU%s",
                    took.toSeconds(), lastShare * 100, settled() ? "" : " (not settled: capped)");
        }
    }

    private WarmUp() {
    }

    /** Load windows of {@code window}, for at most {@code cap} in all. */
    record Plan(Duration window, Duration cap) {

        /** The harness's plan: one short window in a smoke run, else 5-second windows for at most 150 s. */
        static Plan of(BenchOptions options) {
            return options.smoke()
                    ? new Plan(Duration.ofSeconds(1), Duration.ofSeconds(1))
                    : new Plan(Duration.ofSeconds(5), Duration.ofSeconds(150));
        }

        /** Runs load windows until one of them is settled or the cap is reached; at least one window. */
        Result run(long pid, Load load) throws Exception {
            Duration took = Duration.ZERO;
            double share;
            do {
                CpuMark mark = CpuMark.of(pid);
                load.run(window);
                took = took.plus(window);
                share = mark.compilerShareSince();
            } while (share > SETTLED_SHARE && took.compareTo(cap) < 0);
            return new Result(took, share);
        }
    }

    /** The JIT's share of a stretch of CPU time, from the process's and the compiler threads' seconds. */
    static double share(double processSeconds, double compilerSeconds) {
        return processSeconds > 0 ? Math.max(0, compilerSeconds) / processSeconds : 0;
    }

    /** CPU time of a process and of its JIT, read together, to measure a stretch of load by difference. */
    record CpuMark(long pid, double process, double compiler) {

        static CpuMark of(long pid) throws IOException {
            return new CpuMark(pid, ProcessCpu.seconds(pid), ProcessCpu.compilerSeconds(pid));
        }

        /** The process's CPU seconds since the mark. */
        double processSince() throws IOException {
            return ProcessCpu.seconds(pid) - process;
        }

        /** The JIT's CPU seconds since the mark. */
        double compilerSince() throws IOException {
            return ProcessCpu.compilerSeconds(pid) - compiler;
        }

        /** The JIT's share of the process's CPU since the mark. */
        double compilerShareSince() throws IOException {
            return share(processSince(), compilerSince());
        }
    }
}
