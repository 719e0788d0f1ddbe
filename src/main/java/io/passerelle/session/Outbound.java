package io.passerelle.session;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.passerelle.fanout.FrameSink;
import io.passerelle.metrics.GatewayMetrics;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The bounded outbound queue of one socket. Frames come from any thread (readers, the producer's callbacks, the
 * event loop); they are queued and written to the socket's channel by one task on its event loop, as many as are
 * queued, then flushed once: a burst of events costs one task and one flush, not one of each per frame. Frames
 * the network has not taken yet are counted, and a socket that stops reading is closed with 1008 "slow consumer"
 * when it exceeds its bound, so that it can hold neither the gateway's memory nor other sockets' deliveries.
 */
public final class Outbound implements FrameSink {

    public static final CloseReason SLOW_CONSUMER = new CloseReason(1008, "slow consumer");
    private static final long SLOW_CONSUMER_GRACE_MILLIS = 2000;

    private final WebSocketConnection connection;
    private final Channel channel;
    private final int maxFrames;
    private final long maxBytes;
    private final GatewayMetrics metrics;
    /** Frames (UTF-8 bytes) and, last, the close that ends them. Linked: an idle socket's queue is two words. */
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final ChannelFutureListener taken = future -> taken(((FramePromise) future).size);
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile boolean closing;
    private volatile CloseReason closedWith;

    Outbound(WebSocketConnection connection, Channel channel, int maxFrames, long maxBytes, GatewayMetrics metrics) {
        this.connection = connection;
        this.channel = channel;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @Override
    public void send(String frame) {
        byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
        if (admit(utf8.length)) {
            metrics.frameOut(GatewayMetrics.typeOf(frame), utf8.length);
            enqueue(utf8);
        }
    }

    @Override
    public void sendEvent(byte[] utf8) {
        if (admit(utf8.length)) {
            metrics.frameOut(GatewayMetrics.EVENT, utf8.length);
            queue.offer(utf8);
        }
    }

    @Override
    public void flushEvents() {
        scheduleDrain();
    }

    /**
     * Sends what is queued, then the close: a close that ends an exchange goes after its last answer. The first
     * close the gateway decides is the one that counts; later ones find the socket closing.
     */
    void closeAfterQueued(CloseReason reason) {
        if (closing || connection.isClosed()) {
            return;
        }
        closing = true;
        closedWith = reason;
        enqueue(reason);
    }

    private boolean admit(int size) {
        if (closing || overflowed.get()) {
            return false;
        }
        int frames = queuedFrames.incrementAndGet();
        long bytes = queuedBytes.addAndGet(size);
        if (frames > maxFrames || bytes > maxBytes) {
            taken(size);
            if (overflowed.compareAndSet(false, true)) {
                metrics.slowConsumerClosed();
                closeSlowConsumer();
            }
            return false;
        }
        framesOut.incrementAndGet();
        return true;
    }

    private void enqueue(Object item) {
        queue.offer(item);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (!queue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drainTask);
        }
    }

    /** On the event loop: writes every queued frame, then flushes once. */
    private void drain() {
        drainScheduled.set(false);
        boolean open = channel.isActive() && !overflowed.get() && !connection.isClosed();
        boolean written = false;
        Object item;
        while ((item = queue.poll()) != null) {
            if (item instanceof CloseReason reason) {
                if (written) {
                    channel.flush();
                    written = false;
                }
                SocketCloser.closeQuietly(connection, reason);
                open = false;
            } else if (open) {
                byte[] frame = (byte[]) item;
                channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)),
                        new FramePromise(channel, frame.length).addListener(taken));
                written = true;
            } else {
                taken(((byte[]) item).length);
            }
        }
        if (written) {
            channel.flush();
        }
    }

    /**
     * The close frame queues behind what the client did not read, so it may never leave: if the socket is still
     * open after a short grace, its TCP connection is cut.
     */
    private void closeSlowConsumer() {
        closing = true;
        closedWith = SLOW_CONSUMER;
        SocketCloser.closeQuietly(connection, SLOW_CONSUMER);
        // Closing a channel that closed already does nothing.
        channel.eventLoop().schedule(() -> channel.close(), SLOW_CONSUMER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
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

    /** A write's promise that knows the size of its frame, so that one listener serves every write. */
    private static final class FramePromise extends DefaultChannelPromise {

        private final int size;

        FramePromise(Channel channel, int size) {
            super(channel);
            this.size = size;
        }
    }
}
