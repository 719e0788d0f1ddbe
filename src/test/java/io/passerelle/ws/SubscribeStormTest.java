package io.passerelle.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.util.concurrent.EventExecutor;
import io.passerelle.testing.Frame;
import io.passerelle.testing.GatewayTestBase;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * Subscribes to 200 new topics at once, from 20 sockets, while a bystander socket pings: no event loop is held
 * (a probe task sent to each of them every 10 ms starts within {@link #LOOP_LAG_BOUND_MS} ms) and the bystander's
 * ping round trip stays short (p99 under {@link #PING_P99_BOUND_MS} ms; docs/reliability.md).
 */
@QuarkusTest
class SubscribeStormTest extends GatewayTestBase {

    static final long PING_P99_BOUND_MS = 250;
    static final long LOOP_LAG_BOUND_MS = 500;
    private static final int SOCKETS = 20;
    private static final int SUBSCRIPTIONS_EACH = 10; // the test profile's passerelle.limits.max-subscriptions

    @Inject
    Vertx vertx;

    private final AtomicLong longestLag = new AtomicLong();

    @Test
    void aSubscribeStormToNewTopicsBlocksNoEventLoopAndABystandersPingsStayFast() throws Exception {
        List<String> topics = KafkaTestBroker.createTopics("storm", SOCKETS * SUBSCRIPTIONS_EACH, 2);
        List<TestSocket> sockets = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            List<String> mine = topics.subList(i * SUBSCRIPTIONS_EACH, (i + 1) * SUBSCRIPTIONS_EACH);
            sockets.add(TestSocket.connect(ws(), TestTokens.token("storm-" + i, mine, mine)));
        }
        List<Long> rounds = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean storming = new AtomicBoolean(true);
        try (TestSocket bystander = connect("bystander", "x")) {
            Thread pinger = new Thread(() -> {
                for (int n = 0; storming.get(); n++) {
                    long start = System.nanoTime();
                    bystander.send(Frame.ping("p" + n));
                    bystander.answerTo("p" + n);
                    rounds.add((System.nanoTime() - start) / 1_000_000);
                    sleep(10);
                }
            }, "bystander-pings");
            pinger.start();
            Thread prober = new Thread(() -> probeEventLoops(storming), "event-loop-probe");
            prober.start();
            sleep(300); // a baseline before the storm
            for (int i = 0; i < SOCKETS; i++) {
                for (int s = 0; s < SUBSCRIPTIONS_EACH; s++) {
                    sockets.get(i).send(Frame.subscribe("s" + s, topics.get(i * SUBSCRIPTIONS_EACH + s)));
                }
            }
            for (TestSocket socket : sockets) {
                int subscribed = 0;
                while (subscribed < SUBSCRIPTIONS_EACH) {
                    JsonNode answer = socket.next();
                    assertEquals("subscribed", answer.path("type").asText(), answer.toString());
                    subscribed++;
                }
            }
            sleep(300);
            storming.set(false);
            pinger.join(30_000);
            prober.join(30_000);
        } finally {
            sockets.forEach(TestSocket::close);
        }
        List<Long> sorted = new ArrayList<>(rounds);
        Collections.sort(sorted);
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        System.out.printf("Subscribe storm: %d subscribes to %d new topics; bystander pings: %d, p50 %d ms, p99 %d ms,"
                + " max %d ms; longest wait of an event loop probe: %d ms%n", SOCKETS * SUBSCRIPTIONS_EACH,
                topics.size(), sorted.size(), sorted.get(sorted.size() / 2), p99, sorted.get(sorted.size() - 1),
                longestLag.get());
        assertTrue(longestLag.get() < LOOP_LAG_BOUND_MS, "an event loop was held " + longestLag.get() + " ms");
        assertTrue(sorted.size() > 10, "too few pings: " + sorted.size());
        assertTrue(p99 < PING_P99_BOUND_MS, "bystander ping p99 " + p99 + " ms");
    }

    /** Every 10 ms, a task to each event loop; the longest it waited to start is how long a loop was held. */
    private void probeEventLoops(AtomicBoolean storming) {
        List<EventExecutor> loops = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(loops::add);
        while (storming.get()) {
            for (EventExecutor loop : loops) {
                long sent = System.nanoTime();
                loop.execute(() -> longestLag.accumulateAndGet((System.nanoTime() - sent) / 1_000_000, Math::max));
            }
            sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
