package io.passerelle.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/**
 * What the machine allows the same client, with the same frames, against a plain Vert.x WebSocket server that does
 * nothing else: the references of the publish and fan-out scenarios.
 */
final class Ceilings {

    private final Vertx vertx;

    Ceilings(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * What the plain server reached once warm: exchanges per second, its CPU time per exchange in µs, its warm-up,
     * and the machine's account per exchange.
     */
    record ExchangeRun(double exchangesPerSecond, double cpuMicrosPerExchange, WarmUp.Result warmUp,
            String machineAccount) {
    }

    /**
     * Exchanges per second with a server that answers each frame with an ack-sized frame; the server is a process
     * of its own ({@link ExchangeServer}), on the gateway's own jars, so that its CPU is measured like the gateway's.
     */
    ExchangeRun requestResponse(int connections, WarmUp.Plan warmUp, Duration duration) throws Exception {
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-cp", Path.of("target/test-classes").toAbsolutePath() + ":"
                        + Path.of("target/quarkus-app/lib/main").toAbsolutePath() + "/*",
                ExchangeServer.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (line == null || !line.startsWith("port ")) {
                throw new IllegalStateException("the exchange server did not start: " + line);
            }
            int port = Integer.parseInt(line.substring("port ".length()));
            WebSocketClient client = vertx.createWebSocketClient(
                    new WebSocketClientOptions().setMaxConnections(100_000));
            List<WebSocket> sockets = BenchRig.connectPlain(client, port, connections);
            WarmUp.Result warm = warmUp.run(server.pid(),
                    window -> PublishScenario.publishLoad(sockets, window, PublishScenario.ACK));
            MachineAccount machine = MachineAccount.start(new MachineAccount.Part("server", server.pid()),
                    new MachineAccount.Part("load client", ProcessHandle.current().pid()));
            WarmUp.CpuMark mark = WarmUp.CpuMark.of(server.pid());
            PublishScenario.Load load = PublishScenario.publishLoad(sockets, duration, PublishScenario.ACK);
            double cpu = mark.processSince();
            String account = MachineAccount.describe(machine.perUnitMicros(load.answered()));
            BenchRig.closeAll(sockets);
            client.close();
            return new ExchangeRun(load.perSecond(), load.perUnitMicros(cpu), warm, account);
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Frames per second to {@code size} sockets from a server that sends each as fast as its write queue drains. */
    double broadcast(int size, Duration duration) throws Exception {
        String frame = "{\"type\":\"event\",\"channel\":\"bench-fanout\",\"partition\":0,\"offset\":1,"
                + "\"headers\":{},\"timestamp\":1,\"data\":" + BenchRig.DATA + "}";
        ConcurrentLinkedQueue<ServerWebSocket> peers = new ConcurrentLinkedQueue<>();
        HttpServer server = vertx.createHttpServer().webSocketHandler(peers::add);
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
        AtomicLong frames = new AtomicLong();
        List<WebSocket> sockets = BenchRig.connectPlain(client, port, size);
        sockets.forEach(socket -> socket.frameHandler(received -> frames.incrementAndGet()));
        while (peers.size() < size) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (ServerWebSocket peer : peers) {
            // Each peer is fed on its own event loop, as fast as its write queue drains: the ceiling.
            vertx.runOnContext(ignored -> feed(peer, frame, deadline));
        }
        Thread.sleep(duration.toMillis());
        double rate = frames.get() / ((System.nanoTime() - start) / 1e9);
        sockets.forEach(WebSocket::close);
        client.close();
        server.close();
        return rate;
    }

    private static void feed(ServerWebSocket peer, String frame, long deadline) {
        if (peer.isClosed()) {
            return;
        }
        while (!peer.writeQueueFull() && System.nanoTime() < deadline) {
            peer.writeTextMessage(frame);
        }
        if (System.nanoTime() < deadline) {
            peer.drainHandler(ignored -> feed(peer, frame, deadline));
        }
    }
}
