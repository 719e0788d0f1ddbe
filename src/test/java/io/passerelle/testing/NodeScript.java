package io.passerelle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a Node program of the tests (a browser spec, the client's tests, a contract check) and prints its output. */
public final class NodeScript {

    private NodeScript() {
    }

    /**
     * Runs the command in the directory with these environment variables; its output goes to
     * {@code target/<log>} and then to this JVM's stdout. Returns the exit code, or -1 after the timeout.
     */
    public static int run(Path directory, String log, Map<String, String> environment, Duration timeout,
            String... command) throws IOException, InterruptedException {
        Path output = Path.of("target", log).toAbsolutePath();
        Files.createDirectories(output.getParent());
        // To a file: written straight to this JVM's stdout it would garble the test runner's channel.
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            System.out.println(Files.readString(output));
            return -1;
        }
        System.out.println(Files.readString(output));
        return process.exitValue();
    }

    /** The output of the last run logged there. */
    public static String output(String log) throws IOException {
        return Files.readString(Path.of("target", log));
    }
}
