package io.passerelle.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The CPU time a process, or the whole machine, has used, read from outside through /proc. */
final class ProcessCpu {

    /** USER_HZ, 100 on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** User and system CPU time of the process so far, in seconds. */
    static double seconds(long pid) throws IOException {
        return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))) / TICKS_PER_SECOND;
    }

    /**
     * CPU time so far of the process's JIT compiler threads (HotSpot names them {@code C1 CompilerThreadN} and
     * {@code C2 CompilerThreadN}), in seconds. A compiler thread that already ended is no longer counted.
     */
    static double compilerSeconds(long pid) throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    ticks += cpuTicks(stat);
                }
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** The busy and the idle CPU seconds of all cores since boot, from the first line of /proc/stat. */
    static double[] machineSeconds() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] fields = line.trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal …
        long busy = 0;
        for (int field : new int[]{1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(fields[field]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new double[]{busy / TICKS_PER_SECOND, idle / TICKS_PER_SECOND};
    }

    /** utime + stime of a process's or a thread's {@code stat} line, in clock ticks. */
    private static long cpuTicks(String stat) {
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
