package io.passerelle.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The CPU time a process has used, read from outside through /proc. */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** User and system CPU time of the process so far, in seconds. */
    static double seconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / 100.0; // USER_HZ is 100 on Linux
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
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        }
        return ticks / 100.0;
    }
}
