package io.passerelle.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The request/response reference, run as a process of its own so that its CPU is measured like the gateway's: a
 * plain Vert.x WebSocket server that answers each text frame with an ack-sized frame. Prints its port, then serves
 * until its standard input closes.
 */
public final class ExchangeServer {

    static final String ACK = "{\"type\":\"ack\",\"id\":\"100000\",\"channel\":\"bench-publish\",\"partition\":2,"
            + "\"offset\":1000000}";

    private ExchangeServer() {
    }

    public static void main(String[] args) throws Exception {
        // The gateway's transport (quarkus.vertx.prefer-native-transport), so that the reference differs only in work.
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        int port = vertx.createHttpServer()
                .webSocketHandler(peer -> peer.textMessageHandler(text -> peer.writeTextMessage(ACK)))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
        System.out.println("port " + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the harness closes the pipe
        }
        vertx.close();
    }
}
