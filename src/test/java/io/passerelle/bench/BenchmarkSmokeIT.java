package io.passerelle.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark harness in smoke mode so that it keeps working. It asserts that every scenario produced a
 * result, never how fast.
 */
class BenchmarkSmokeIT {

    @Test
    void everyScenarioProducesAResult() throws Exception {
        Benchmarks.runSmoke();
        String results = Files.readString(Path.of("target/bench/results-smoke.md"));
        // Every missing row is named, not only the first.
        assertAll(Stream.of("Publish", "Fan-out", "End-to-end latency", "Idle authenticated", "Connect rate",
                "heap per connection", "RSS per connection", "request/response ceiling", "by process", "bytes a record")
                .map(measure -> () -> assertTrue(results.contains(measure), measure + " in " + results)));
        assertTrue(Files.size(Path.of("target/bench/latency.png")) > 0);
        assertTrue(Files.size(Path.of("target/bench/fanout.png")) > 0);
    }
}
