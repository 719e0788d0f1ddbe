package io.passerelle.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.http.WebSocket;

/**
 * Publish: 32 sockets publish 200-byte {@code data}, 64 unacknowledged each, and count {@code ack}s; against
 * Kafka's {@code ProducerPerformance} and the request/response ceiling of the same client.
 */
final class PublishScenario {

    private PublishScenario() {
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        int connections = options.smoke() ? 4 : 32;
        Duration duration = Duration.ofSeconds(options.seconds(3, 20));
        List<WebSocket> sockets = rig.connect(connections, "publisher");
        double gatewayRate = publishLoad(sockets, duration, "{\"type\":\"ack\"");
        BenchRig.closeAll(sockets);
        double ceiling = new Ceilings(rig.vertx).requestResponse(connections, duration);
        double kafkaRate = rig.kafkaTools.present()
                ? rig.kafkaTools.producerPerformance(rig.broker.bootstrapServers(), "bench-kafka",
                        options.smoke() ? 50_000 : 2_000_000)
                : 0;
        report.add("Publish, acked/s (200 B, acks=all)", Report.fmt(gatewayRate),
                "ProducerPerformance " + Report.fmt(kafkaRate), Report.ratio(gatewayRate, kafkaRate), "≥ 0.5");
        // Each publish costs at least one request/response exchange plus one Kafka write, on the same cores: the
        // ratio cannot exceed E / (E + P), with E the exchange ceiling and P Kafka's own rate.
        report.add("Publish bound from the machine: request/response ceiling E, E / (E + P)", "",
                "WebSocket request/response ceiling " + Report.fmt(ceiling),
                kafkaRate > 0 ? String.format(Locale.ROOT, "≤ %.2f", ceiling / (ceiling + kafkaRate)) : "", "");
    }

    /**
     * Publishes 200-byte records from every socket, at most 64 unanswered each, for the duration; returns the
     * answers per second that start with {@code answerPrefix}.
     */
    static double publishLoad(List<WebSocket> sockets, Duration duration, String answerPrefix)
            throws InterruptedException {
        int window = 64;
        AtomicLong answered = new AtomicLong();
        CountDownLatch done = new CountDownLatch(sockets.size());
        long deadline = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        for (WebSocket socket : sockets) {
            Semaphore permits = new Semaphore(window);
            AtomicLong ids = new AtomicLong();
            socket.textMessageHandler(text -> {
                if (text.startsWith(answerPrefix)) {
                    answered.incrementAndGet();
                }
                permits.release();
            });
            new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            socket.writeTextMessage("{\"type\":\"publish\",\"id\":\"" + ids.incrementAndGet()
                                    + "\",\"channel\":\"bench-publish\",\"data\":" + BenchRig.DATA + "}");
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                done.countDown();
            }, "publisher").start();
        }
        done.await();
        Thread.sleep(1000); // the last answers
        return answered.get() / ((System.nanoTime() - start) / 1e9 - 1);
    }
}
