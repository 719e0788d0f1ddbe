package io.passerelle.session;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.passerelle.fanout.FrameSink;
import io.passerelle.metrics.GatewayMetrics;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

/**
 * The bounded outbound queue of one socket. Frames are handed to the network at once; those the network has not
 * taken yet are counted, and a socket that stops reading is closed with 1008 "slow consumer" when it exceeds its
 * bound, so that it can hold neither the gateway's memory nor other sockets' deliveries.
 */
public final class Outbound implements FrameSink {

    public static final CloseReason SLOW_CONSUMER = new CloseReason(1008, "slow consumer");
    private static final long SLOW_CONSUMER_GRACE_MILLIS = 2000;

    private final WebSocketConnection connection;
    private final int maxFrames;
    private final long maxBytes;
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile CloseReason closedWith;
    private final GatewayMetrics metrics;
    private final Vertx vertx;

    Outbound(WebSocketConnection connection, int maxFrames, long maxBytes, GatewayMetrics metrics, Vertx vertx) {
        this.connection = connection;
        this.vertx = vertx;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @Override
    public void send(String frame) {
        if (overflowed.get()) {
            return;
        }
        long size = frame.length();
        int frames = queuedFrames.incrementAndGet();
        long bytes = queuedBytes.addAndGet(size);
        if (frames > maxFrames || bytes > maxBytes) {
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-size);
            if (overflowed.compareAndSet(false, true)) {
                metrics.slowConsumerClosed();
                closeSlowConsumer();
            }
            return;
        }
        framesOut.incrementAndGet();
        metrics.frameOut(frame);
        connection.sendText(frame).subscribe().with(ignored -> taken(size), ignored -> taken(size));
    }

    /**
     * The close frame queues behind what the client did not read, so it may never leave: if the socket is still
     * open after a short grace, its TCP connection is cut.
     */
    private void closeSlowConsumer() {
        closedWith = SLOW_CONSUMER;
        SocketCloser.closeQuietly(connection, SLOW_CONSUMER);
        HttpConnection transport = connection.userData().get(TransportUpgradeCheck.TRANSPORT);
        if (transport != null) {
            // Closing a transport that closed already does nothing.
            vertx.setTimer(SLOW_CONSUMER_GRACE_MILLIS, ignored -> transport.close());
        }
    }

    private void taken(long size) {
        queuedFrames.decrementAndGet();
        queuedBytes.addAndGet(-size);
    }

    /** Half of either bound is in use: far enough behind that a topic's reader may pause for it. */
    @Override
    public boolean isBackedUp() {
        return queuedFrames.get() > maxFrames / 2 || queuedBytes.get() > maxBytes / 2;
    }

    /** The reason the gateway closed this socket for, or null if it did not. */
    CloseReason closedWith() {
        return closedWith;
    }

    public int queuedFrames() {
        return queuedFrames.get();
    }

    public long framesOut() {
        return framesOut.get();
    }
}
