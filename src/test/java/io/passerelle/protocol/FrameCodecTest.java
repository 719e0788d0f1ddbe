package io.passerelle.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bytes of every server frame, exactly as docs/protocol.md gives them: field names, field order, encodings.
 * Outside clients parse these; a change here is a change of the public contract.
 */
class FrameCodecTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> toList(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static void assertWire(String expected, ServerFrame frame) {
        assertEquals(expected, FrameCodec.text(frame));
    }

    @Test
    void anAckGivesBackAnyIdAsTheSameString() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        for (String id : new String[]{"c1", "", "quote\" and \\ back", "tab\t nl\n nul\u0000 del\u007f", "é 日本 😀",
                "\ud800 lone", "x".repeat(500)}) {
            String text = FrameCodec.text(new ServerFrame.Ack(id, "a.b_c-9", Integer.MAX_VALUE, Long.MAX_VALUE));
            assertEquals(text, new String(
                    FrameCodec.ack(FrameCodec.ackHead(id, "a.b_c-9"), Integer.MAX_VALUE, Long.MAX_VALUE),
                    StandardCharsets.UTF_8), "the publish path's two parts write the same bytes");
            JsonNode ack = mapper.readTree(text);
            assertEquals(List.of("type", "id", "channel", "partition", "offset"),
                    toList(ack.fieldNames()), text);
            assertEquals("ack", ack.get("type").textValue());
            assertEquals(id, ack.get("id").textValue(), text);
            assertEquals("a.b_c-9", ack.get("channel").textValue());
            assertEquals(Integer.MAX_VALUE, ack.get("partition").intValue());
            assertEquals(Long.MAX_VALUE, ack.get("offset").longValue());
            assertTrue(text.chars().allMatch(c -> c >= 0x20 && c < 0x7f), text);
        }
    }

    @Test
    void answersToRequests() {
        assertWire("{\"type\":\"ack\",\"id\":\"c1\",\"channel\":\"orders\",\"partition\":2,\"offset\":41}",
                new ServerFrame.Ack("c1", "orders", 2, 41));
        assertWire("{\"type\":\"subscribed\",\"id\":\"s1\",\"channel\":\"prices\"}",
                new ServerFrame.Subscribed("s1", "prices", Map.of(), null));
        assertWire(
                "{\"type\":\"subscribed\",\"id\":\"s1\",\"channel\":\"prices\",\"offsets\":{\"0\":7,\"2\":3,\"10\":1}}",
                new ServerFrame.Subscribed("s1", "prices", Map.of(10, 1L, 2, 3L, 0, 7L), null));
        assertWire("{\"type\":\"subscribed\",\"id\":\"s1\",\"channel\":\"orders\",\"offsets\":{\"0\":7},"
                + "\"filter\":{\"keys\":[\"a\",\"b\"],\"headers\":{\"tenant\":\"t1\"}}}",
                new ServerFrame.Subscribed("s1", "orders", Map.of(0, 7L),
                        new ChannelFilter(Set.of("b", "a"), null, Map.of("tenant", "t1"))));
        assertWire("{\"type\":\"subscribed\",\"id\":\"s1\",\"channel\":\"orders\",\"filter\":{\"keyPrefix\":\"t1/\"}}",
                new ServerFrame.Subscribed("s1", "orders", Map.of(), new ChannelFilter(null, "t1/", Map.of())));
        assertWire("{\"type\":\"unsubscribed\",\"id\":\"u1\",\"channel\":\"prices\",\"subscriptions\":[\"s1\",\"s2\"]}",
                new ServerFrame.Unsubscribed("u1", "prices", List.of("s1", "s2")));
        assertWire("{\"type\":\"pong\",\"id\":\"p1\"}", new ServerFrame.Pong("p1"));
        assertWire("{\"type\":\"committed\",\"id\":\"c7\",\"channel\":\"jobs\",\"partition\":2,\"offset\":41}",
                new ServerFrame.Committed("c7", "jobs", 2, 41));
        assertWire("{\"type\":\"assigned\",\"subscription\":\"g\",\"channel\":\"jobs\",\"partitions\":[0,2]}",
                new ServerFrame.Assigned("g", "jobs", List.of(2, 0)));
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
                "{\"type\":\"error\",\"id\":\"r1\",\"code\":\"forbidden\",\"subscription\":\"s1\",\"channel\":\"orders\","
                        + "\"message\":\"ended\"}",
                new ServerFrame.SubscriptionEnded("r1", "s1", "orders", ErrorCode.FORBIDDEN, "ended"));
    }

    @Test
    void eventsEmbedJsonAndMarkOtherValues() {
        List<ServerFrame.Header> headers = List.of(new ServerFrame.Header("source", utf8("feed")),
                new ServerFrame.Header("empty", null));
        assertWire(
                "{\"type\":\"event\",\"subscription\":\"s1\",\"channel\":\"prices\",\"partition\":0,\"offset\":43,\"key\":\"EURUSD\","
                        + "\"headers\":{\"source\":\"feed\",\"empty\":\"\"},\"timestamp\":1764150000000,\"data\":{\"bid\":1.1}}",
                new ServerFrame.Event("s1", "prices", 0, 43, utf8("EURUSD"), headers, 1764150000000L,
                        utf8("{\"bid\":1.1}")));
        assertWire("{\"type\":\"event\",\"channel\":\"t\",\"partition\":1,\"offset\":2,\"headers\":{},\"timestamp\":3,"
                + "\"data\":\"héllo\",\"encoding\":\"text\"}",
                new ServerFrame.Event(null, "t", 1, 2, null, List.of(), 3, utf8("héllo")));
        assertWire("{\"type\":\"event\",\"channel\":\"t\",\"partition\":1,\"offset\":2,\"key\":\"/w==\","
                + "\"keyEncoding\":\"base64\",\"headers\":{},\"timestamp\":3,\"data\":\"AP8=\",\"encoding\":\"base64\"}",
                new ServerFrame.Event(null, "t", 1, 2, new byte[]{(byte) 0xff}, List.of(), 3,
                        new byte[]{0, (byte) 0xff}));
        assertWire("{\"type\":\"event\",\"channel\":\"t\",\"partition\":0,\"offset\":0,\"headers\":{},\"timestamp\":0,"
                + "\"data\":null}",
                new ServerFrame.Event(null, "t", 0, 0, null, List.of(), 0, null));
    }

    /** A record is encoded once: each subscription's head, then the shared body, is the whole frame. */
    @Test
    void anEventIsItsSubscriptionsHeadAndTheRecordsBody() {
        ServerFrame.Event event = new ServerFrame.Event(null, "prices", 0, 43, utf8("EURUSD"), List.of(), 5,
                utf8("{\"bid\":1.1}"));
        byte[] body = FrameCodec.eventBody(event);
        for (String subscription : List.of("s1", "room \"7\"\n", "é")) {
            byte[] head = FrameCodec.eventHead(subscription);
            byte[] frame = new byte[head.length + body.length];
            System.arraycopy(head, 0, frame, 0, head.length);
            System.arraycopy(body, 0, frame, head.length, body.length);
            ServerFrame.Event named = new ServerFrame.Event(subscription, "prices", 0, 43, utf8("EURUSD"),
                    List.of(), 5, utf8("{\"bid\":1.1}"));
            assertEquals(FrameCodec.text(named), new String(frame, StandardCharsets.UTF_8));
        }
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
