package io.passerelle.transport;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * How many event loops own the client sockets when {@code quarkus.http.io-threads} is not set: one fewer than the
 * cores, at least one. The producer's I/O thread and the topic readers are the gateway's other busy threads; with as
 * many event loops as cores they take turns with them on every core, and two loops appending to the one producer
 * contend for its lock and its batches. Measured on two cores (docs/benchmarks.md): one loop costs 0.6 to 0.9 µs less
 * per acked publish than two.
 * <p>
 * A configuration source of the lowest priority, read when the server starts: any other setting of the key wins.
 */
public final class SocketEventLoops implements ConfigSource {

    static final String IO_THREADS = "quarkus.http.io-threads";

    /** The default for a machine with this many cores. */
    static int forCores(int cores) {
        return Math.max(1, cores - 1);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(IO_THREADS, value());
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(IO_THREADS);
    }

    @Override
    public String getValue(String propertyName) {
        return IO_THREADS.equals(propertyName) ? value() : null;
    }

    private static String value() {
        return Integer.toString(forCores(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public String getName() {
        return "passerelle-socket-event-loops";
    }

    @Override
    public int getOrdinal() {
        // Below application.properties (250), the environment (300) and system properties (400).
        return 50;
    }
}
