package io.passerelle.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.protocol.CloseCode;
import io.passerelle.protocol.FrameCodec;
import io.passerelle.protocol.FrameSink;
import io.passerelle.protocol.ServerFrame;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The bounded outbound queue of one socket. Frames come from any thread (readers, the producer's callbacks, the
 * event loop); they are queued and written to the socket's channel by one task on its event loop, as many as are
 * queued, then flushed once: a burst of events costs one task and one flush, not one of each per frame. On a socket
 * without a WebSocket extension (no compression negotiated) the burst is also one buffer of wire bytes
 * ({@link TextFrames}); with one, each frame goes through the extension's encoder. Frames the network has not taken
 * yet are counted, and a socket that stops reading is closed with 1008 "slow consumer" when it exceeds its bound, so
 * that it can hold neither the gateway's memory nor other sockets' deliveries.
 */
public final class Outbound implements FrameSink {

    private static final long SLOW_CONSUMER_GRACE_MILLIS = 2000;
    /** The most wire bytes one write of a burst holds; a single larger frame is a write of its own. */
    private static final int MAX_WRITE_BYTES = 64 * 1024;

    private final WebSocketConnection connection;
    private final Channel channel;
    private final int maxFrames;
    private final long maxBytes;
    private final GatewayMetrics metrics;
    /** Frames (UTF-8 bytes, or events in two parts) and, last, the close that ends them. Linked: an idle socket's queue is two words. */
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** False when an extension (permessage-deflate) must encode each frame: frames then go through the pipeline. */
    private final boolean writesWireBytes;
    private final ChannelFutureListener taken = future -> {
        FramePromise written = (FramePromise) future;
        taken(written.frames, written.bytes);
    };
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    /** The close the gateway decided, once decided: the first one wins. A field, not an object: sockets are many. */
    private volatile CloseCode closedWith;
    private static final AtomicReferenceFieldUpdater<Outbound, CloseCode> CLOSED_WITH = AtomicReferenceFieldUpdater
            .newUpdater(Outbound.class, CloseCode.class, "closedWith");

    /** The outbound queue of a socket whose upgrade {@link SocketChannels#capture} saw. */
    public Outbound(WebSocketConnection connection, int maxFrames, long maxBytes, GatewayMetrics metrics) {
        this.connection = connection;
        this.channel = SocketChannels.of(connection);
        this.writesWireBytes = channel.pipeline().get(WebSocketExtensionEncoder.class) == null;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @Override
    public void send(ServerFrame frame) {
        sendEncoded(frame.type(), FrameCodec.encode(frame));
    }

    @Override
    public void sendEncoded(String type, byte[] utf8) {
        if (admit(utf8.length)) {
            metrics.frameOut(type, utf8.length);
            enqueue(utf8);
        }
    }

    @Override
    public void sendEvent(byte[] head, byte[] body) {
        int size = head.length + body.length;
        if (admit(size)) {
            metrics.eventOut(size);
            queue.offer(new EventBytes(head, body));
        }
    }

    @Override
    public void flushEvents() {
        scheduleDrain();
    }

    /**
     * Sends what is queued, then the close: a close that ends an exchange goes after its last answer. The first
     * close the gateway decides is the one that counts, whichever thread decides it; later ones change nothing.
     */
    public void closeAfterQueued(CloseCode code) {
        if (!connection.isClosed() && CLOSED_WITH.compareAndSet(this, null, code)) {
            enqueue(code);
        }
    }

    private boolean admit(int size) {
        if (closedWith != null || overflowed.get()) {
            return false;
        }
        int frames = queuedFrames.incrementAndGet();
        long bytes = queuedBytes.addAndGet(size);
        if (frames > maxFrames || bytes > maxBytes) {
            taken(1, size);
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
        Object head;
        while ((head = queue.peek()) != null) {
            if (head instanceof CloseCode code) {
                queue.poll();
                if (written) {
                    channel.flush();
                    written = false;
                }
                SocketCloser.closeQuietly(connection, code);
                open = false;
            } else if (!open) {
                queue.poll();
                taken(1, payloadLength(head));
            } else {
                if (writesWireBytes) {
                    writeRun();
                } else {
                    writeFrame(queue.poll());
                }
                written = true;
            }
        }
        if (written) {
            channel.flush();
        }
    }

    /**
     * Writes the frames at the head of the queue, up to a close or {@link #MAX_WRITE_BYTES}, as one buffer of wire
     * bytes sized to them. Only this event loop takes from the queue, so the frames measured are the frames taken.
     */
    private void writeRun() {
        int frames = 0;
        long bytes = 0;
        int wire = 0;
        for (Object item : queue) {
            if (item instanceof CloseCode) {
                break;
            }
            int length = payloadLength(item);
            int frame = TextFrames.headerLength(length) + length;
            if (frames > 0 && wire + frame > MAX_WRITE_BYTES) {
                break;
            }
            frames++;
            bytes += length;
            wire += frame;
        }
        ByteBuf out = channel.alloc().directBuffer(wire);
        for (int i = 0; i < frames; i++) {
            Object item = queue.poll();
            TextFrames.writeHeader(out, payloadLength(item));
            if (item instanceof EventBytes event) {
                out.writeBytes(event.head).writeBytes(event.body);
            } else {
                out.writeBytes((byte[]) item);
            }
        }
        channel.write(out, new FramePromise(channel, frames, bytes).addListener(taken));
    }

    /** Writes one frame through the pipeline, for the socket's extension to encode. */
    private void writeFrame(Object item) {
        // The shared body of an event is not copied: the frame is the two arrays, written with one gathering write.
        ByteBuf payload = item instanceof EventBytes event
                ? Unpooled.wrappedBuffer(event.head, event.body)
                : Unpooled.wrappedBuffer((byte[]) item);
        channel.write(new TextWebSocketFrame(payload),
                new FramePromise(channel, 1, payload.readableBytes()).addListener(taken));
    }

    private static int payloadLength(Object frame) {
        return frame instanceof EventBytes event ? event.size() : ((byte[]) frame).length;
    }

    /**
     * The close frame queues behind what the client did not read, so it may never leave: if the socket is still
     * open after a short grace, its TCP connection is cut.
     */
    private void closeSlowConsumer() {
        CLOSED_WITH.compareAndSet(this, null, CloseCode.SLOW_CONSUMER);
        SocketCloser.closeQuietly(connection, CloseCode.SLOW_CONSUMER);
        // Closing a channel that closed already does nothing.
        channel.eventLoop().schedule(() -> channel.close(), SLOW_CONSUMER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void taken(int frames, long bytes) {
        queuedFrames.addAndGet(-frames);
        queuedBytes.addAndGet(-bytes);
    }

    /** Half of either bound is in use: far enough behind that a topic's reader may pause for it. */
    @Override
    public boolean isBackedUp() {
        return queuedFrames.get() > maxFrames / 2 || queuedBytes.get() > maxBytes / 2;
    }

    /** The reason the gateway closed this socket for (here, or in its frame guard), or null if it did not. */
    public CloseCode closedWith() {
        CloseCode own = closedWith;
        return own != null ? own : FrameGuard.closedWith(connection.userData());
    }

    public int queuedFrames() {
        return queuedFrames.get();
    }

    public long framesOut() {
        return framesOut.get();
    }

    /** An event frame as its subscription's head and the record's shared body. */
    private record EventBytes(byte[] head, byte[] body) {
        int size() {
            return head.length + body.length;
        }
    }

    /** A write's promise that knows the frames it carries and their bytes, so that one listener serves every write. */
    private static final class FramePromise extends DefaultChannelPromise {

        private final int frames;
        private final long bytes;

        FramePromise(Channel channel, int frames, long bytes) {
            super(channel);
            this.frames = frames;
            this.bytes = bytes;
        }
    }
}
