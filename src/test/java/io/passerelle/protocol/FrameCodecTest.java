package io.passerelle.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The bytes of every server frame, exactly as docs/protocol.md gives them: field names, field order, encodings.
 * Outside clients parse these; a change here is a change of the public contract.
 */
class FrameCodecTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertWire(String expected, ServerFrame frame) {
        assertEquals(expected, FrameCodec.text(frame));
    }

    @Test
    void answersToRequests() {
        assertWire("{\"type\":\"ack\",\"id\":\"c1\",\"channel\":\"orders\",\"partition\":2,\"offset\":41}",
                new ServerFrame.Ack("c1", "orders", 2, 41));
        assertWire("{\"type\":\"subscribed\",\"id\":\"s1\",\"channel\":\"prices\"}",
                new ServerFrame.Subscribed("s1", "prices", Map.of()));
        assertWire(
                "{\"type\":\"subscribed\",\"id\":\"s1\",\"channel\":\"prices\",\"offsets\":{\"0\":7,\"2\":3,\"10\":1}}",
                new ServerFrame.Subscribed("s1", "prices", Map.of(10, 1L, 2, 3L, 0, 7L)));
        assertWire("{\"type\":\"unsubscribed\",\"id\":\"u1\",\"channel\":\"prices\"}",
                new ServerFrame.Unsubscribed("u1", "prices"));
        assertWire("{\"type\":\"pong\",\"id\":\"p1\"}", new ServerFrame.Pong("p1"));
        assertWire("{\"type\":\"committed\",\"id\":\"c7\",\"channel\":\"jobs\",\"partition\":2,\"offset\":41}",
                new ServerFrame.Committed("c7", "jobs", 2, 41));
        assertWire("{\"type\":\"assigned\",\"channel\":\"jobs\",\"partitions\":[0,2]}",
                new ServerFrame.Assigned("jobs", List.of(2, 0)));
        assertWire("{\"type\":\"token_expiring\",\"expiresAt\":1764150060000}",
                new ServerFrame.TokenExpiring(1764150060000L));
        assertWire("{\"type\":\"refreshed\",\"id\":\"r1\",\"expiresAt\":1764153600000}",
                new ServerFrame.Refreshed("r1", 1764153600000L));
    }

    @Test
    void errors() {
        assertWire("{\"type\":\"error\",\"id\":\"c1\",\"code\":\"forbidden\",\"message\":\"not granted\"}",
                new ServerFrame.Error("c1", ErrorCode.FORBIDDEN, "not granted"));
        assertWire("{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"frame is not valid JSON\"}",
                new ServerFrame.Error(null, ErrorCode.BAD_REQUEST, "frame is not valid JSON"));
        assertWire("{\"type\":\"error\",\"id\":\"s\\\"1\",\"code\":\"offset_out_of_range\",\"message\":\"gone\\n\","
                + "\"available\":{\"0\":{\"first\":0,\"last\":41},\"1\":{\"first\":5,\"last\":9}}}",
                ServerFrame.Error.of(new OffsetOutOfRangeException("s\"1", "gone\n",
                        Map.of(1, new OffsetOutOfRangeException.Range(5, 9),
                                0, new OffsetOutOfRangeException.Range(0, 41)))));
        assertWire(
                "{\"type\":\"error\",\"id\":\"r1\",\"code\":\"forbidden\",\"channel\":\"orders\",\"message\":\"ended\"}",
                new ServerFrame.SubscriptionEnded("r1", "orders", ErrorCode.FORBIDDEN, "ended"));
    }

    @Test
    void eventsEmbedJsonAndMarkOtherValues() {
        List<ServerFrame.Header> headers = List.of(new ServerFrame.Header("source", utf8("feed")),
                new ServerFrame.Header("empty", null));
        assertWire("{\"type\":\"event\",\"channel\":\"prices\",\"partition\":0,\"offset\":43,\"key\":\"EURUSD\","
                + "\"headers\":{\"source\":\"feed\",\"empty\":\"\"},\"timestamp\":1764150000000,\"data\":{\"bid\":1.1}}",
                new ServerFrame.Event("prices", 0, 43, utf8("EURUSD"), headers, 1764150000000L,
                        utf8("{\"bid\":1.1}")));
        assertWire("{\"type\":\"event\",\"channel\":\"t\",\"partition\":1,\"offset\":2,\"headers\":{},\"timestamp\":3,"
                + "\"data\":\"héllo\",\"encoding\":\"text\"}",
                new ServerFrame.Event("t", 1, 2, null, List.of(), 3, utf8("héllo")));
        assertWire("{\"type\":\"event\",\"channel\":\"t\",\"partition\":1,\"offset\":2,\"key\":\"/w==\","
                + "\"keyEncoding\":\"base64\",\"headers\":{},\"timestamp\":3,\"data\":\"AP8=\",\"encoding\":\"base64\"}",
                new ServerFrame.Event("t", 1, 2, new byte[]{(byte) 0xff}, List.of(), 3, new byte[]{0, (byte) 0xff}));
        assertWire("{\"type\":\"event\",\"channel\":\"t\",\"partition\":0,\"offset\":0,\"headers\":{},\"timestamp\":0,"
                + "\"data\":null}",
                new ServerFrame.Event("t", 0, 0, null, List.of(), 0, null));
    }

    @Test
    void directFrames() {
        assertWire(
                "{\"type\":\"message\",\"key\":\"k\",\"headers\":{\"trace\":\"t-1\"},\"data\":{\"note\":\"for you\"}}",
                new ServerFrame.Message(utf8("k"), List.of(new ServerFrame.Header("trace", utf8("t-1"))),
                        utf8("{\"note\":\"for you\"}")));
        assertWire("{\"type\":\"reply\",\"id\":\"q-1\",\"headers\":{},\"data\":{\"answer\":42}}",
                new ServerFrame.Reply("q-1", List.of(), utf8("{\"answer\":42}")));
    }

    @Test
    void recognisesSingleJsonValues() {
        assertTrue(FrameCodec.isSingleJsonValue("{\"a\":1}"));
        assertTrue(FrameCodec.isSingleJsonValue(" 42 "));
        assertTrue(FrameCodec.isSingleJsonValue("\"s\""));
        assertFalse(FrameCodec.isSingleJsonValue("1 2"));
        assertFalse(FrameCodec.isSingleJsonValue("{\"a\":1}{}"));
        assertFalse(FrameCodec.isSingleJsonValue("hello"));
        assertFalse(FrameCodec.isSingleJsonValue(""));
        assertFalse(FrameCodec.isSingleJsonValue("{\"a\":"));
    }
}
