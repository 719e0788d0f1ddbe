package io.passerelle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a process holds, read from outside: /proc, and {@code jcmd} for a JVM's heap. */
public final class ProcessProbes {

    private static final Pattern HEAP_USED = Pattern.compile("used ([0-9]+)K");

    private ProcessProbes() {
    }

    /** Resident memory, from /proc. */
    public static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** The heap a JVM uses now, from {@code jcmd GC.heap_info}. */
    public static long heapUsed(long pid) throws Exception {
        Matcher matcher = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        long used = 0;
        while (matcher.find()) {
            used = Math.max(used, Long.parseLong(matcher.group(1)) * 1024);
        }
        return used;
    }

    /** The heap a JVM keeps alive: used right after a full collection. */
    public static long heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        return heapUsed(pid);
    }

    /** Runs a {@code jcmd} command against a JVM and returns what it printed. */
    public static String jcmd(long pid, String command) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }
}
