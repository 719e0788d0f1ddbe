package io.passerelle.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where the whole machine's CPU went over a stretch of load: named processes, every other process, and idle time,
 * all cores together. A share of the bound says how fast the gateway went against the references; this says which
 * process spent the machine's time per unit, in each of them.
 */
final class MachineAccount {

    private final Map<String, WarmUp.CpuMark> parts = new LinkedHashMap<>();
    private final double[] machine;

    /** A process the account names. */
    record Part(String name, long pid) {
    }

    private MachineAccount(Part... named) throws IOException {
        for (Part part : named) {
            parts.put(part.name(), WarmUp.CpuMark.of(part.pid()));
        }
        this.machine = ProcessCpu.machineSeconds();
    }

    /** Starts the account of the named processes (listed in this order) and of the machine. */
    static MachineAccount start(Part... named) throws IOException {
        return new MachineAccount(named);
    }

    /** The CPU seconds since the start: each named process, then "other" and "idle". */
    Map<String, Double> since() throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        double named = 0;
        for (Map.Entry<String, WarmUp.CpuMark> part : parts.entrySet()) {
            double used = part.getValue().processSince();
            seconds.put(part.getKey(), used);
            named += used;
        }
        double[] now = ProcessCpu.machineSeconds();
        seconds.put("other", Math.max(0, now[0] - machine[0] - named));
        seconds.put("idle", now[1] - machine[1]);
        return seconds;
    }

    /** The account since the start, per unit, in µs: each named process, then "other" and "idle". */
    Map<String, Double> perUnitMicros(long units) throws IOException {
        return perUnitMicros(since(), units);
    }

    /** Seconds by part, per unit, in µs. */
    static Map<String, Double> perUnitMicros(Map<String, Double> seconds, long units) {
        Map<String, Double> micros = new LinkedHashMap<>();
        seconds.forEach((part, used) -> micros.put(part, units > 0 ? used * 1e6 / units : 0));
        return micros;
    }

    /** µs by part with their sum: {@code "gateway 4.5 + broker 2.1 + … = 9.8 µs"}. */
    static String describe(Map<String, Double> micros) {
        StringJoiner parts = new StringJoiner(" + ");
        double total = 0;
        for (Map.Entry<String, Double> part : micros.entrySet()) {
            total += part.getValue();
            parts.add(String.format(Locale.ROOT, "%s %.1f", part.getKey(), part.getValue()));
        }
        return parts + String.format(Locale.ROOT, " = %.1f µs", total);
    }

    /** The mean of two accounts of the same parts. */
    static Map<String, Double> mean(Map<String, Double> first, Map<String, Double> second) {
        Map<String, Double> mean = new LinkedHashMap<>();
        first.forEach((part, micros) -> mean.put(part, (micros + second.getOrDefault(part, micros)) / 2));
        return mean;
    }

    /** An account as {@code name=µs} pairs separated by spaces, for another process to read back. */
    static String write(Map<String, Double> micros) {
        StringJoiner pairs = new StringJoiner(" ");
        micros.forEach((part, value) -> pairs.add(part.replace(' ', '_') + "=" + value));
        return pairs.toString();
    }

    /** Reads what {@link #write} wrote. */
    static Map<String, Double> read(String written) {
        Map<String, Double> micros = new LinkedHashMap<>();
        for (String pair : written.trim().split(" ")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                micros.put(pair.substring(0, equals).replace('_', ' '),
                        Double.parseDouble(pair.substring(equals + 1)));
            }
        }
        return micros;
    }
}
