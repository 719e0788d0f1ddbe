package io.passerelle.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.passerelle.protocol.CloseCode;
import io.passerelle.session.ClientSession;
import io.passerelle.session.SessionRegistry;
import io.passerelle.testing.AdminApi;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.TestSocket;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.CloseReason;

/**
 * Closes decided at once on several threads (a drain, an operator, the sweeper): the first one wins, and what the
 * gateway records as the socket's close (metrics, lifecycle events) is the close the client received.
 */
@QuarkusTest
class CloseRaceTest extends GatewayTestBase {

    private static final List<CloseCode> RIVALS = List.of(CloseCode.GOING_AWAY, CloseCode.CLOSED_BY_OPERATOR,
            CloseCode.TOKEN_EXPIRED, CloseCode.RATE_LIMIT_ABUSE);

    @Inject
    SessionRegistry sessions;

    @Test
    void theCloseTheClientGetsIsTheCloseTheGatewayRecords() throws Exception {
        for (int round = 0; round < 30; round++) {
            String user = "raced-" + round;
            try (TestSocket socket = connect(user, "x")) {
                ClientSession session = sessions.get(AdminApi.connectionOf(user));
                CyclicBarrier start = new CyclicBarrier(RIVALS.size());
                List<Thread> threads = new ArrayList<>();
                for (CloseCode code : RIVALS) {
                    Thread thread = new Thread(() -> {
                        try {
                            start.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        session.close(code);
                    });
                    threads.add(thread);
                    thread.start();
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                int received = socket.awaitClose();
                CloseReason recorded = session.closeReason(CloseReason.NORMAL);
                assertEquals(received, recorded.getCode(), "round " + round);
            }
        }
    }
}
