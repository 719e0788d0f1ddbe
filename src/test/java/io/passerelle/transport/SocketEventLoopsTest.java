package io.passerelle.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.netty.channel.EventLoop;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The client sockets are owned by one event loop fewer than the cores (at least one), unless configured. */
@QuarkusTest
class SocketEventLoopsTest extends GatewayTestBase {

    @Inject
    OpenConnections connections;

    @Test
    void socketsAreSpreadOverOneEventLoopFewerThanTheCores() throws InterruptedException {
        int expected = SocketEventLoops.forCores(Runtime.getRuntime().availableProcessors());
        int count = 2 * (expected + 1);
        List<TestSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(connect("loops-" + i, "loops"));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (connections.listAll().size() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Set<EventLoop> loops = connections.listAll().stream()
                    .map(connection -> SocketChannels.of(connection).eventLoop()).collect(Collectors.toSet());
            assertEquals(expected, loops.size(), () -> "the event loops of " + count + " sockets: " + loops);
        } finally {
            sockets.forEach(TestSocket::close);
        }
    }

    @Test
    void theDefaultFollowsTheCoresAndYieldsToAnySetting() {
        assertEquals(1, SocketEventLoops.forCores(1));
        assertEquals(1, SocketEventLoops.forCores(2));
        assertEquals(7, SocketEventLoops.forCores(8));
        SmallRyeConfig configured = new SmallRyeConfigBuilder().withSources(new SocketEventLoops(),
                new PropertiesConfigSource(Map.of(SocketEventLoops.IO_THREADS, "3"), "application.properties", 250))
                .build();
        assertEquals(3, configured.getValue(SocketEventLoops.IO_THREADS, Integer.class));
        SmallRyeConfig unset = new SmallRyeConfigBuilder().withSources(new SocketEventLoops()).build();
        assertEquals(SocketEventLoops.forCores(Runtime.getRuntime().availableProcessors()),
                unset.getValue(SocketEventLoops.IO_THREADS, Integer.class));
    }
}
