package io.passerelle.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.passerelle.protocol.CloseCode;

/**
 * The guard's reading of text messages in a Netty pipeline: what arrives before the socket's open callback waits
 * for it in order with reading paused, and a message in fragments is held to the message size.
 */
class FrameGuardTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<String> received = new ArrayList<>();
    private final Map<Object, Object> data = new HashMap<>();

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private FrameGuard install(int maxMessageSize) {
        channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }
        });
        return FrameGuard.install(channel.pipeline(), new MapUserData(data), maxMessageSize);
    }

    @Test
    void messagesBeforeTheOpenWaitForItInOrderWithReadingPaused() {
        FrameGuard guard = install(1024);
        channel.writeInbound(text("one"));
        channel.writeInbound(new TextWebSocketFrame(false, 0, "tw"), new ContinuationWebSocketFrame(true, 0, "o"));
        assertFalse(channel.config().isAutoRead(), "no more is read before the open");
        assertTrue(received.isEmpty());

        guard.receiveWith(message -> received.add(new String(message, StandardCharsets.UTF_8)));
        assertEquals(List.of("one", "two"), received);
        assertTrue(channel.config().isAutoRead(), "reading resumes at the open");
        channel.writeInbound(text("three"));
        assertEquals(List.of("one", "two", "three"), received);
    }

    @Test
    void fragmentsBeyondTheMessageSizeCloseWith1009() {
        FrameGuard guard = install(8);
        guard.receiveWith(message -> received.add(new String(message, StandardCharsets.UTF_8)));
        channel.writeInbound(new TextWebSocketFrame(false, 0, "12345"), new ContinuationWebSocketFrame(false, 0,
                "678"));
        assertTrue(received.isEmpty());
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, "9"));
        assertTrue(received.isEmpty(), "nothing of the oversized message is handed on");
        CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(1009, close.statusCode());
        close.release();
        assertEquals(CloseCode.TOO_BIG, FrameGuard.closedWith(new MapUserData(data)));
    }

    @Test
    void aMessageOfExactlyTheSizeInFragmentsIsOneMessage() {
        FrameGuard guard = install(8);
        guard.receiveWith(message -> received.add(new String(message, StandardCharsets.UTF_8)));
        channel.writeInbound(new TextWebSocketFrame(false, 0, "1234"), new ContinuationWebSocketFrame(false, 0,
                "567"), new ContinuationWebSocketFrame(true, 0, "8"));
        assertEquals(List.of("12345678"), received);
        assertEquals(null, (Object) channel.readOutbound());
    }

    private static TextWebSocketFrame text(String text) {
        return new TextWebSocketFrame(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }
}
