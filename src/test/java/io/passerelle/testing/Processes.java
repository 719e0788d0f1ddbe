package io.passerelle.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the processes the tests start, by their PID. */
public final class Processes {

    private Processes() {
    }

    /** SIGTERM, then SIGKILL if it has not exited within the grace; waits for it either way. */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
