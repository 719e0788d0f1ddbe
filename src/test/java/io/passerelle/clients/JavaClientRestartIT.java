package io.passerelle.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.passerelle.client.ConnectionState;
import io.passerelle.client.Event;
import io.passerelle.client.PasserelleClient;
import io.passerelle.testing.Await;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestTokens;

/**
 * The Java client through restarts of the packaged gateway: killed (the network just ends) and stopped (1001). It
 * reconnects by itself and resumes where it was, with nothing missed or repeated.
 */
class JavaClientRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theClientReconnectsAfterTheGatewayRestartsAndResumesWithNoGapAndNoDuplicate() throws Exception {
        String topic = KafkaTestBroker.createTopic("jc-restart", 2);
        String token = TestTokens.token("reina", List.of(topic), List.of(topic));
        GatewayProcess gateway = GatewayProcess.start(Map.of());
        try (PasserelleClient client = PasserelleClient.builder(gateway.ws().toString()).token(token)
                .reconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(1)).build()) {
            Inbox<Event> events = new Inbox<>();
            Inbox<ConnectionState> states = new Inbox<>();
            client.onState(states);
            client.subscribe(topic, events).get(30, TimeUnit.SECONDS);
            Streams.produce(topic, 0, 4);
            events.await(4, WAIT);

            gateway.process().destroyForcibly(); // SIGKILL: no close frame, the connection just ends
            Await.until("the client notices", WAIT, () -> client.state() == ConnectionState.RECONNECTING);
            assertEquals(1006, client.lastCloseCode());
            Streams.produce(topic, 4, 8); // while no gateway runs
            gateway = gateway.restart();
            Await.until("reconnected after the kill", WAIT, () -> opened(states) == 2);
            events.await(8, WAIT);

            gateway = gateway.restart(); // SIGTERM: the replica drains and says 1001
            Await.until("reconnected after the drain", WAIT, () -> opened(states) == 3);
            Streams.produce(topic, 8, 12);
            client.publish(topic, "12").get(30, TimeUnit.SECONDS);

            Streams.assertEachOnceInOrder(events, 13, WAIT);
        } finally {
            gateway.close();
        }
    }

    private static long opened(Inbox<ConnectionState> states) {
        return states.all().stream().filter(state -> state == ConnectionState.OPEN).count();
    }

}
