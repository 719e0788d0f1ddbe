package io.passerelle.transport;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.passerelle.protocol.CloseCode;
import io.quarkus.websockets.next.UserData;

/**
 * Reads a socket's text messages and answers frames the WebSocket transport rejects with the close code RFC 6455
 * gives them, instead of dropping the connection: a frame or message over the size limit closes with 1009, text
 * that is not UTF-8 with 1007, any other framing error with 1002. The transport itself would drop such connections
 * without a close frame (the client sees 1006), and would read invalid UTF-8 as U+FFFD replacement characters.
 * <p>
 * It sits in the connection's pipeline after the frame decoder. Text messages (whole, or in fragments) are checked
 * with a {@link Utf8Check} and handed, as the bytes received, to the socket's {@link TextReceiver} right here on the
 * event loop: not decoded into a {@code String} and dispatched again as a task of their own, which cost more than
 * the gateway's own handling of a publish. Messages that arrive before the socket's open callback has named its
 * receiver wait for it (reading pauses meanwhile). Binary and control frames pass on to Vert.x.
 * <p>
 * Once it has answered with a close, it discards what the client still sends and closes the connection when the
 * client has answered the close, or after {@link #CLOSE_GRACE_MILLIS}. Used on the channel's event loop only.
 */
public final class FrameGuard extends ChannelInboundHandlerAdapter {

    /** The close this guard sent, for the connection's close accounting. */
    private static final UserData.TypedKey<CloseCode> CLOSED_WITH = new UserData.TypedKey<>(
            "passerelle.frame-guard.closed");

    private static final String NAME = "passerelle-frame-guard";
    /** Vert.x's own handler, the last one in an HTTP/1.x connection's pipeline. */
    private static final String VERTX_HANDLER = "handler";
    private static final long CLOSE_GRACE_MILLIS = 1_000;

    private final UserData userData;
    private final int maxMessageSize;
    private final Utf8Check text = new Utf8Check();
    /** The fragments so far of a text message that arrives in several (null when none is arriving). */
    private byte[] fragments;
    private int fragmentsLength;
    private boolean closing;
    private TextReceiver receiver;
    /** Messages read before the receiver was named, in order. */
    private ArrayDeque<byte[]> early;
    private ChannelHandlerContext context;

    private FrameGuard(UserData userData, int maxMessageSize) {
        this.userData = userData;
        this.maxMessageSize = maxMessageSize;
    }

    /** Installs the guard in front of Vert.x's handler; frames pass through it once the upgrade is done. */
    static FrameGuard install(ChannelPipeline pipeline, UserData userData, int maxMessageSize) {
        if (pipeline.get(VERTX_HANDLER) == null) {
            throw new IllegalStateException("not an HTTP/1.1 connection of Vert.x: " + pipeline.names());
        }
        FrameGuard guard = new FrameGuard(userData, maxMessageSize);
        pipeline.addBefore(VERTX_HANDLER, NAME, guard);
        return guard;
    }

    /**
     * From the socket's open callback, on its event loop: text messages go to the receiver from now on, those that
     * arrived before first.
     */
    void receiveWith(TextReceiver textReceiver) {
        receiver = textReceiver;
        if (early != null) {
            ArrayDeque<byte[]> waiting = early;
            early = null;
            while (!waiting.isEmpty() && !closing) {
                textReceiver.onText(waiting.poll());
            }
            context.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    /** The close a frame the frame decoder rejected calls for. */
    private static CloseCode closeCodeFor(CorruptedWebSocketFrameException rejected) {
        return switch (rejected.closeStatus().code()) {
            case 1007 -> CloseCode.INVALID_UTF8;
            case 1009 -> CloseCode.TOO_BIG;
            default -> CloseCode.PROTOCOL_ERROR;
        };
    }

    /** The close this guard sent on the socket, or null. */
    static CloseCode closedWith(UserData userData) {
        return userData.get(CLOSED_WITH);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (closing && msg instanceof WebSocketFrame) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof TextWebSocketFrame || (msg instanceof ContinuationWebSocketFrame && fragments != null)) {
            try {
                read(ctx, (WebSocketFrame) msg);
            } finally {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        super.channelRead(ctx, msg);
    }

    private void read(ChannelHandlerContext ctx, WebSocketFrame frame) {
        ByteBuf content = frame.content();
        boolean first = frame instanceof TextWebSocketFrame;
        if (first) {
            text.reset();
            fragments = null;
            fragmentsLength = 0;
        }
        if (!text.feed(content) || (frame.isFinalFragment() && !text.complete())) {
            refuse(ctx, CloseCode.INVALID_UTF8);
            return;
        }
        if (first && frame.isFinalFragment()) {
            deliver(ctx, ByteBufUtil.getBytes(content));
            return;
        }
        int length = content.readableBytes();
        if (fragmentsLength + length > maxMessageSize) {
            fragments = null;
            refuse(ctx, CloseCode.TOO_BIG);
            return;
        }
        if (fragments == null) {
            fragments = new byte[Math.min(maxMessageSize, Math.max(256, length * 2))];
        } else if (fragmentsLength + length > fragments.length) {
            fragments = Arrays.copyOf(fragments, Math.min(maxMessageSize, Math.max(fragmentsLength + length,
                    fragments.length * 2)));
        }
        content.getBytes(content.readerIndex(), fragments, fragmentsLength, length);
        fragmentsLength += length;
        if (frame.isFinalFragment()) {
            byte[] message = Arrays.copyOf(fragments, fragmentsLength);
            fragments = null;
            deliver(ctx, message);
        }
    }

    private void deliver(ChannelHandlerContext ctx, byte[] message) {
        if (receiver != null) {
            receiver.onText(message);
            return;
        }
        if (early == null) {
            early = new ArrayDeque<>();
            // The open callback is a task already queued on this event loop: what was read waits, no more is read.
            ctx.channel().config().setAutoRead(false);
        }
        early.add(message);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (!(cause instanceof CorruptedWebSocketFrameException corrupted)) {
            super.exceptionCaught(ctx, cause);
            return;
        }
        refuse(ctx, closeCodeFor(corrupted));
    }

    private void refuse(ChannelHandlerContext ctx, CloseCode code) {
        if (closing) {
            return;
        }
        closing = true;
        userData.put(CLOSED_WITH, code);
        ctx.writeAndFlush(new CloseWebSocketFrame(code.code(), code.reason()));
        // The client answers the close and then closes its side; a client that does not is cut off.
        ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
