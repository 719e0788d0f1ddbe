package io.passerelle.transport;

import java.util.concurrent.TimeUnit;

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
 * Answers frames the WebSocket transport rejects with the close code RFC 6455 gives them, instead of dropping the
 * connection: a frame over the size limit closes with 1009, text that is not UTF-8 with 1007, any other framing
 * error with 1002. The transport itself would drop such connections without a close frame (the client sees 1006),
 * and would read invalid UTF-8 as U+FFFD replacement characters.
 * <p>
 * It sits in the connection's pipeline after the frame decoder and checks text messages (whole, or in fragments) with
 * a {@link Utf8Check}. Once it has answered, it discards what the client still sends and closes the connection
 * when the client has answered the close, or after {@link #CLOSE_GRACE_MILLIS}.
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
    private final Utf8Check text = new Utf8Check();
    /** A text message is arriving in fragments: continuation frames are text too. */
    private boolean inFragmentedText;
    private boolean closing;

    private FrameGuard(UserData userData) {
        this.userData = userData;
    }

    /** Installs the guard in front of Vert.x's handler; frames pass through it once the upgrade is done. */
    static void install(ChannelPipeline pipeline, UserData userData) {
        if (pipeline.get(VERTX_HANDLER) != null && pipeline.get(NAME) == null) {
            pipeline.addBefore(VERTX_HANDLER, NAME, new FrameGuard(userData));
        }
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
        boolean startsText = msg instanceof TextWebSocketFrame;
        if (startsText || (msg instanceof ContinuationWebSocketFrame && inFragmentedText)) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (startsText) {
                text.reset();
            }
            inFragmentedText = !frame.isFinalFragment();
            if (!isText(frame)) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, CloseCode.INVALID_UTF8);
                return;
            }
        }
        super.channelRead(ctx, msg);
    }

    private boolean isText(WebSocketFrame frame) {
        return text.feed(frame.content()) && (!frame.isFinalFragment() || text.complete());
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
