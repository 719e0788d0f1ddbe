package io.passerelle.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import io.passerelle.protocol.CloseCode;
import io.passerelle.protocol.FrameParser;
import io.passerelle.protocol.ProtocolConfig;
import io.passerelle.protocol.ProtocolException;
import io.quarkus.websockets.next.UserData;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Coverage-guided fuzzing (Jazzer) of what a socket receives, from the wire to a frame: WebSocket frames built from
 * the fuzzer's input (fragments, opcodes, reserved bits, masks, any payload) go through Netty's frame decoder,
 * {@link FrameGuard} and {@link Utf8Check}, and every text message the guard reads is parsed by {@link FrameParser}.
 * It holds that nothing throws but what is answered (a {@link ProtocolException}, a close with a {@link CloseCode}),
 * that only valid UTF-8 passes the guard, and that {@link Utf8Check} agrees with the JDK's strict decoder.
 * <p>
 * In the suite's {@code fuzz} execution (JAZZER_FUZZ set) it fuzzes for {@code maxDuration}; in any other run it
 * replays the inputs kept under src/test/resources (regression mode). docs/security.md has the figures.
 */
class InboundFuzzTest {

    private static final ProtocolConfig LIMITS = new SmallRyeConfigBuilder().withMapping(ProtocolConfig.class)
            .build().getConfigMapping(ProtocolConfig.class);
    private static final FrameParser PARSER = new FrameParser(new ObjectMapper(), LIMITS);
    private static final int[] OPCODES = {0x0, 0x1, 0x2, 0x8, 0x9, 0xA};

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"{\"type\":\"", "publish", "subscribe", "unsubscribe", "commit", "refresh", "ping", "\"id\":",
            "\"channel\":", "\"data\":", "\"key\":", "\"keys\":", "\"keyPrefix\":", "\"headers\":", "\"from\":",
            "\"offsets\":", "\"group\":", "\"subscription\":", "\"partition\":", "\"offset\":", "\"reply\":true",
            "\"token\":", "earliest", "latest", "passerelle-", "\\u0000", "\\ud800", "1e999", "-0", "}", "]", "null"})
    void whatArrivesIsAnsweredOrRefusedNeverThrown(FuzzedDataProvider input) {
        byte[] loose = input.consumeBytes(64);
        Utf8Check check = new Utf8Check();
        assertEquals(isUtf8(loose), check.feed(Unpooled.wrappedBuffer(loose)) && check.complete(),
                "Utf8Check and the JDK's decoder disagree");

        Map<Object, Object> data = new HashMap<>();
        UserData userData = new MapUserData(data);
        Messages messages = new Messages();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast("decoder", new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).allowMaskMismatch(false).maxFramePayloadLength(LIMITS.maxDataBytes() * 2)
                .build()));
        channel.pipeline().addLast("handler", messages);
        List<String> texts = new ArrayList<>();
        FrameGuard.install(channel.pipeline(), userData, LIMITS.maxDataBytes() * 2).receiveWith(message -> {
            assertTrue(isUtf8(message), "a text message that is not UTF-8 passed the guard");
            texts.add(new String(message, StandardCharsets.UTF_8));
        });
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(wire(input)));
            channel.checkException();
        } finally {
            channel.finishAndReleaseAll();
        }
        for (String text : texts) {
            try {
                assertTrue(PARSER.parse(text) != null);
            } catch (ProtocolException answered) {
                // answered with an error frame: the socket stays open
            }
        }
        CloseCode closedWith = FrameGuard.closedWith(userData);
        assertTrue(closedWith == null || closedWith == CloseCode.INVALID_UTF8 || closedWith == CloseCode.TOO_BIG
                || closedWith == CloseCode.PROTOCOL_ERROR, "closed with " + closedWith);
    }

    /** A client's bytes on the wire: frames from the fuzzer's choices, mostly well-formed, some not at all. */
    private static byte[] wire(FuzzedDataProvider input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (input.consumeBoolean()) {
            byte[] raw = input.consumeBytes(4096);
            out.write(raw, 0, raw.length);
            return out.toByteArray();
        }
        int frames = input.consumeInt(1, 6);
        for (int i = 0; i < frames && input.remainingBytes() > 0; i++) {
            boolean fin = input.consumeProbabilityDouble() < 0.8;
            int rsv = input.consumeProbabilityDouble() < 0.95 ? 0 : input.consumeInt(1, 7);
            int opcode = input.consumeProbabilityDouble() < 0.95
                    ? OPCODES[input.consumeInt(0, OPCODES.length - 1)]
                    : input.consumeInt(0, 15);
            boolean masked = input.consumeProbabilityDouble() < 0.97;
            byte[] payload = input.consumeBoolean()
                    ? input.consumeString(2048).getBytes(StandardCharsets.UTF_8)
                    : input.consumeBytes(2048);
            out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
            int maskBit = masked ? 0x80 : 0;
            if (payload.length < 126) {
                out.write(maskBit | payload.length);
            } else {
                out.write(maskBit | 126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xFF);
            }
            byte[] mask = {(byte) 0x37, (byte) 0xFA, (byte) 0x21, (byte) 0x3D};
            if (masked) {
                out.write(mask, 0, 4);
                for (int b = 0; b < payload.length; b++) {
                    payload[b] ^= mask[b % 4];
                }
            }
            out.write(payload, 0, payload.length);
        }
        return out.toByteArray();
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Where Vert.x would be: binary and control frames only, text never. */
    private static final class Messages extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                assertFalse(msg instanceof TextWebSocketFrame, "a text frame passed the guard");
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
