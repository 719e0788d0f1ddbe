package io.passerelle.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.SmallRyeConfigBuilder;

class FrameParserTest {

    /** The limits as configured by default: read from the mapping itself, where the defaults are written. */
    private static final ProtocolConfig DEFAULTS = new SmallRyeConfigBuilder().withMapping(ProtocolConfig.class)
            .build().getConfigMapping(ProtocolConfig.class);

    private final FrameParser parser = new FrameParser(new ObjectMapper(), DEFAULTS);

    private ProtocolException failure(String text) {
        return assertThrows(ProtocolException.class, () -> parser.parse(text));
    }

    @Test
    void parsesAFullPublish() {
        var publish = assertInstanceOf(ClientFrame.Publish.class, parser.parse(
                "{\"type\":\"publish\",\"id\":\"c1\",\"channel\":\"orders\",\"key\":\"k-1\",\"headers\":{\"h\":\"v\"},"
                        + "\"data\":{\"a\":[1,2]}}"));
        assertEquals("c1", publish.id());
        assertEquals("orders", publish.channel());
        assertEquals("k-1", publish.key());
        assertEquals(Map.of("h", "v"), publish.headers());
        assertArrayEquals("{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8), publish.value());
    }

    @Test
    void keepsDataAsTheBytesReceived() {
        // Whitespace, escapes, number spellings and key order are the client's: the record's value is what it sent.
        String data = "{ \"b\" : [1.50, -0, 2e3] ,\"a\":\"\\u00e9é\\n\" }";
        for (String value : new String[]{data, "\"text\"", "12.5e-3", "true", "null", "[ ]"}) {
            var publish = assertInstanceOf(ClientFrame.Publish.class, parser.parse(
                    "{\"type\":\"publish\",\"data\":  " + value + "  ,\"id\":\"c1\",\"channel\":\"orders\"}"));
            assertEquals(value, new String(publish.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void dataIsHeldToTheSameStrictJsonAsTheFrame() {
        String prefix = "{\"type\":\"publish\",\"id\":\"c1\",\"channel\":\"orders\",\"data\":";
        for (String broken : new String[]{"{\"a\":1,\"a\":2}}", "[1,]}", "{\"a\":01}}", "\"tab\there\"}", "[1]} {}",
                "[1]", "{\"a\":1}}x"}) {
            ProtocolException failure = failure(prefix + broken);
            assertEquals(ErrorCode.BAD_REQUEST, failure.code(), broken);
            assertEquals("frame is not valid JSON", failure.getMessage(), broken);
        }
        String deep = "[".repeat(DEFAULTS.maxJsonDepth() + 1) + "]".repeat(DEFAULTS.maxJsonDepth() + 1);
        assertEquals(ErrorCode.BAD_REQUEST, failure(prefix + deep + "}").code());
        assertEquals("publish needs 'data'",
                failure("{\"type\":\"publish\",\"id\":\"c1\",\"channel\":\"orders\"}").getMessage());
        assertEquals("frame must be a JSON object", failure("[1,2]").getMessage());
        assertEquals("frame is not valid JSON", failure("[1,2").getMessage());
    }

    @Test
    void parsesSubscribeStartPositions() {
        var latest = (ClientFrame.Subscribe) parser.parse("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"p\"}");
        assertEquals(StartPosition.LATEST, latest.from());
        assertEquals(ChannelFilter.ALL, latest.filter());
        var earliest = (ClientFrame.Subscribe) parser
                .parse("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"p\",\"from\":\"earliest\",\"key\":\"K\"}");
        assertEquals(StartPosition.EARLIEST, earliest.from());
        assertEquals(ChannelFilter.ofKey("K"), earliest.filter());
        var offsets = (ClientFrame.Subscribe) parser.parse(
                "{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"p\",\"from\":{\"offsets\":{\"0\":42,\"1\":7}}}");
        assertEquals(new StartPosition.Offsets(Map.of(0, 42L, 1, 7L)), offsets.from());
    }

    @Test
    void errorsCarryTheIdWhenItCouldBeRead() {
        assertNull(failure("nope").requestId());
        assertEquals("x", failure("{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"c\"}").requestId());
        assertEquals(ErrorCode.BAD_REQUEST, failure("{\"type\":\"dance\",\"id\":\"x\"}").code());
    }

    @Test
    void enforcesLimits() {
        assertEquals(ErrorCode.BAD_REQUEST, failure("{\"type\":\"ping\",\"id\":\"" + "x".repeat(129) + "\"}").code());
        String longKey = "k".repeat(1025);
        assertEquals(ErrorCode.BAD_REQUEST, failure(
                "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"c\",\"key\":\"" + longKey + "\",\"data\":1}").code());
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            headers.append(i == 0 ? "" : ",").append("\"h").append(i).append("\":\"v\"");
        }
        assertEquals(ErrorCode.BAD_REQUEST, failure(
                "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"c\",\"headers\":{" + headers + "},\"data\":1}")
                .code());
    }

    @Test
    void longNamesAreBoundedByTheMessageSizeAndTheProtocolsOwnLimits() {
        // Beyond the 50,000 characters a JSON library may allow a name by default: the frame's limits decide.
        String name = "n".repeat(60_000);
        String publish = "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"c\",";
        var accepted = assertInstanceOf(ClientFrame.Publish.class,
                parser.parse(publish + "\"data\":{\"" + name + "\":1}}"));
        assertEquals(name.length() + 6, accepted.value().length);
        assertEquals("header names must be 1 to " + DEFAULTS.maxHeaderNameLength() + " characters",
                failure(publish + "\"headers\":{\"" + name + "\":\"v\"},\"data\":1}").getMessage());
    }

    @Test
    void rejectsInvalidChannelNames() {
        for (String channel : new String[]{"", ".", "..", "a b", "a/b", "x".repeat(250)}) {
            assertEquals(ErrorCode.BAD_REQUEST,
                    failure("{\"type\":\"unsubscribe\",\"id\":\"u\",\"channel\":\"" + channel + "\"}").code(), channel);
        }
    }

    @Test
    void fieldsOfTheWrongJsonTypeAreRefusedByName() {
        String publish = "{\"type\":\"publish\",\"id\":\"x\",\"channel\":\"c\",\"data\":1,";
        Map<String, String> expected = Map.of(
                "{\"type\":\"ping\",\"id\":7}", "every frame needs a non-blank string 'id'",
                "{\"type\":\"ping\",\"id\":\" \"}", "every frame needs a non-blank string 'id'",
                "{\"type\":[\"ping\"],\"id\":\"x\"}", "'type' must be a non-empty string",
                "{\"type\":\"publish\",\"id\":\"x\",\"channel\":{},\"data\":1}", "'channel' must be a non-empty string",
                publish + "\"key\":5}", "'key' must hold strings",
                publish + "\"reply\":\"yes\"}", "'reply' must be true or false",
                "{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"c\",\"keys\":[\"a\",2]}",
                "'keys' must hold strings",
                "{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"c\",\"keyPrefix\":false}",
                "'keyPrefix' must hold strings",
                "{\"type\":\"unsubscribe\",\"id\":\"u\",\"channel\":\"c\",\"subscription\":\"s\"}",
                "unsubscribe takes a 'subscription' or a 'channel', not both");
        expected.forEach((frame, message) -> assertEquals(message, failure(frame).getMessage(), frame));
        var keyless = assertInstanceOf(ClientFrame.Publish.class, parser.parse(publish + "\"key\":null}"));
        assertNull(keyless.key());
        var unsubscribe = assertInstanceOf(ClientFrame.Unsubscribe.class,
                parser.parse("{\"type\":\"unsubscribe\",\"id\":\"u\",\"channel\":null,\"subscription\":\"s\"}"));
        assertEquals("s", unsubscribe.subscription());
    }
}
