package io.passerelle.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real WebSocket client (the JDK's) that queues the frames it receives, for tests to read in order.
 */
public final class TestSocket implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonNode> frames;
    private final CompletableFuture<Integer> closed;
    private final Listener listener;

    private TestSocket(WebSocket socket, LinkedBlockingQueue<JsonNode> frames, CompletableFuture<Integer> closed,
            Listener listener) {
        this.socket = socket;
        this.frames = frames;
        this.closed = closed;
        this.listener = listener;
    }

    /** The socket stops reading after the frame it is handed now: a client that stalls. */
    public void stopReading() {
        listener.reading = false;
    }

    /** A stalled socket starts reading. */
    public void startReading() {
        listener.reading = true;
        socket.request(1);
    }

    /** Connects with the token in the Authorization header. */
    public static TestSocket connect(URI uri, String token) {
        return connect(uri, Map.of("Authorization", "Bearer " + token), List.of());
    }

    /**
     * Connects with the given extra headers and offered subprotocols. A refused upgrade throws
     * {@link UpgradeRefused} with the HTTP status.
     */
    public static TestSocket connect(URI uri, Map<String, String> headers, List<String> subprotocols) {
        return connect(uri, headers, subprotocols, true);
    }

    /** Connects without reading anything until {@link #startReading()}: a client that stalls. */
    public static TestSocket connectStalled(URI uri, String token) {
        return connect(uri, Map.of("Authorization", "Bearer " + token), List.of(), false);
    }

    /** Connects through the given client (for TLS with a trust store of the test's). */
    public static TestSocket connect(HttpClient client, URI uri, String token) {
        return connect(client, uri, Map.of("Authorization", "Bearer " + token), List.of(), true);
    }

    private static TestSocket connect(URI uri, Map<String, String> headers, List<String> subprotocols,
            boolean reading) {
        return connect(HttpClient.newHttpClient(), uri, headers, subprotocols, reading);
    }

    private static TestSocket connect(HttpClient client, URI uri, Map<String, String> headers,
            List<String> subprotocols, boolean reading) {
        LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Builder builder = client.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        try {
            Listener listener = new Listener(frames, closed, reading);
            WebSocket socket = builder.buildAsync(uri, listener).get(20, TimeUnit.SECONDS);
            return new TestSocket(socket, frames, closed, listener);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
            if (cause instanceof WebSocketHandshakeException handshake) {
                throw new UpgradeRefused(handshake.getResponse().statusCode());
            }
            throw new IllegalStateException("could not connect", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not connect", e);
        }
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Sends the frame's JSON text. */
    public TestSocket send(Frame frame) {
        return send(frame.toString());
    }

    /**
     * Sends the frame unless the socket's output is closed already (the gateway closed it): false then, as a client
     * that stops sending once closed.
     */
    public boolean sendWhileOpen(Frame frame) {
        try {
            send(frame);
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException && socket.isOutputClosed()) {
                return false;
            }
            throw e;
        }
    }

    public TestSocket send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public TestSocket sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
        return this;
    }

    /** The next frame, or an assertion failure after the wait. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame arrived within " + WAIT);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame matching the predicate; frames before it are dropped. */
    public JsonNode next(Predicate<JsonNode> predicate) {
        while (true) {
            JsonNode frame = next();
            if (predicate.test(frame)) {
                return frame;
            }
        }
    }

    /** The answer to the request with this id. */
    public JsonNode answerTo(String id) {
        return next(frame -> id.equals(frame.path("id").asText(null)));
    }

    /** Collects {@code count} event frames. */
    public List<JsonNode> events(int count) {
        List<JsonNode> events = new ArrayList<>();
        while (events.size() < count) {
            events.add(next(frame -> "event".equals(frame.path("type").asText())));
        }
        return events;
    }

    /** Fails if an event arrives within 700 ms: for checking that a socket receives nothing more. */
    public void assertNoMoreEvents() {
        List<JsonNode> extra = drain(Duration.ofMillis(700));
        if (extra.stream().anyMatch(f -> "event".equals(f.path("type").asText()))) {
            throw new AssertionError("no more events expected, got " + extra);
        }
    }

    /** Frames that arrive within the given time, for checking that nothing more comes. */
    public List<JsonNode> drain(Duration within) {
        List<JsonNode> drained = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return drained;
                }
                JsonNode frame = frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame != null) {
                    drained.add(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return drained;
        }
    }

    /** The close code the server sent, waiting for it. */
    public int awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the socket was not closed within " + WAIT, e);
        }
    }

    /** The close reason the server sent, once closed. */
    public String closeReason() {
        awaitClose();
        return listener.closeReason;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }

    /** The server refused the upgrade with this HTTP status. */
    public static final class UpgradeRefused extends RuntimeException {
        private final int status;

        UpgradeRefused(int status) {
            super("upgrade refused with HTTP " + status);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final LinkedBlockingQueue<JsonNode> frames;
        private final CompletableFuture<Integer> closed;
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean reading;
        private volatile String closeReason;

        Listener(LinkedBlockingQueue<JsonNode> frames, CompletableFuture<Integer> closed, boolean reading) {
            this.frames = frames;
            this.closed = closed;
            this.reading = reading;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    frames.add(JSON.getNodeFactory().textNode("unparseable: " + partial));
                }
                partial.setLength(0);
            }
            if (reading) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
