package io.passerelle.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.passerelle.testing.GatewayTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * On x86-64 and arm64 Linux, the platforms the gateway ships its native transport for, the event loops run on epoll, as
 * docs/configuration.md says of {@code quarkus.vertx.prefer-native-transport}.
 */
@QuarkusTest
class NativeTransportTest extends GatewayTestBase {

    @Inject
    Vertx vertx;

    @Test
    void theEventLoopsRunOnEpollOnLinux() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && List.of("amd64", "aarch64").contains(System.getProperty("os.arch")));
        assertTrue(vertx.isNativeTransportEnabled(), () -> "native transport unavailable: "
                + vertx.unavailableNativeTransportCause());
    }
}
