package io.passerelle.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The frame's one-pass reader judged against Jackson, a strict JSON reader of its own (duplicate names refused,
 * the same depth and number limits): on hand-picked texts and on many generated ones, valid and broken, both must
 * accept the same texts, refuse them for the same reason, and read the same top-level members.
 */
class StrictJsonTest {

    private static final int DEPTH = 6;
    private static final int DIGITS = 100;

    /** Some of the generated names and strings, read as shared words. */
    private static final StrictJson.Words WORDS = new StrictJson.Words("a", "type", "é", "x", "hello world");

    private final ObjectMapper jackson = strictJackson();

    private static ObjectMapper strictJackson() {
        ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(DEPTH).maxNumberLength(DIGITS).build());
        return mapper;
    }

    @Test
    void agreesWithJacksonOnHandPickedTexts() {
        String digits = "1".repeat(DIGITS);
        List<String> texts = List.of("", "  ", "{}", " {} ", "{} {}", "{}x", "[]", "1", "\"s\"", "null", "{\"a\":1,}",
                "{,}", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":1 \"b\":2}", "{\"a\":[1,]}", "{\"a\":[,1]}",
                "{\"a\":01}", "{\"a\":-}", "{\"a\":-0}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1E+2}",
                "{\"a\":+1}", "{\"a\":NaN}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":\"\t\"}",
                "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\uD83D\\uDE00é😀\"}",
                "{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "{\"x\":{\"é\":1,\"\\u00e9\":2}}",
                "{\"x\":{\"a\":{\"a\":1},\"b\":{\"a\":1}}}", "{\"x\":[{\"a\":1},{\"a\":1}]}",
                "{\"a\":" + digits + "}", "{\"a\":-" + digits + "}", "{\"a\":" + digits + "1}",
                "{\"a\":1." + "1".repeat(DIGITS - 1) + "}", "{\"a\":1." + digits + "}", "{\"a\":1e" + digits + "}",
                "{\"a\":" + "[".repeat(DEPTH - 1) + "]".repeat(DEPTH - 1) + "}",
                "{\"a\":" + "[".repeat(DEPTH) + "]".repeat(DEPTH) + "}", "[".repeat(DEPTH + 1),
                "{\"a\":\u000b1}", "{\"a\":1}\u000c", "\ufeff{}", "{\"a\":\"\u0080\"}", "{\"a\u2028\":\"\"}",
                "{\"a\" : { \"b\" : [ true , false , null , \"\\\"\\\\\\/\\b\\f\\n\\r\\t\" ] } }\r\n");
        for (String text : texts) {
            assertAgrees(text);
        }
    }

    @Test
    void agreesWithJacksonOnEveryByteOfLongStrings() {
        // Plain string content is skipped a word at a time: each special byte at each place of a word.
        for (String special : new String[]{"\"", "\\", "\\n", "\\u0041", "\u0000", "\u0001", "\u001f", " ", "\u007f",
                "é", "😀", "x"}) {
            for (int at = 0; at < 20; at++) {
                String content = "a".repeat(at) + special + "b".repeat(20 - at);
                assertAgrees("{\"s\":\"" + content + "\"}");
                assertAgrees("{\"s\":[\"" + content + "\"]}");
            }
        }
    }

    @Test
    void agreesWithJacksonOnGeneratedTexts() {
        Random random = new Random(20261203);
        for (int i = 0; i < 30_000; i++) {
            StringBuilder text = new StringBuilder();
            object(random, text, 1);
            String valid = text.toString();
            assertAgrees(valid);
            assertAgrees(mutate(random, valid));
            assertAgrees(mutate(random, mutate(random, valid)));
        }
    }

    @Test
    void objectsWithManyNamesFindTheirDuplicatesToo() {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            names.append("\"n").append(i).append("\":").append(i).append(',');
        }
        for (String dup : new String[]{"\"n3\":1", "\"n39\":1", "\"\\u006e7\":1", "\"fresh\":1"}) {
            String members = names + dup;
            assertAgrees("{" + members + "}");
            assertAgrees("{\"x\":{" + members + "},\"y\":{" + members.replace(dup, "\"z\":0") + "}}");
        }
    }

    private void assertAgrees(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        String expected = jacksonVerdict(utf8);
        StrictJson read;
        try {
            read = StrictJson.read(utf8, DEPTH, DIGITS, WORDS);
        } catch (StrictJson.Refused refused) {
            assertEquals(expected, refused.getMessage(), text);
            return;
        }
        assertEquals(expected, "ok", text);
        JsonNode tree;
        try {
            tree = jackson.readTree(utf8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(tree.size(), read.size(), text);
        for (int i = 0; i < read.size(); i++) {
            JsonNode value = tree.get(read.name(i));
            assertEquals(value.isTextual() ? value.textValue() : null, read.string(i), text);
            try {
                assertEquals(value, jackson.readTree(utf8, read.start(i), read.end(i) - read.start(i)), text);
            } catch (IOException e) {
                throw new AssertionError(text, e);
            }
        }
    }

    /** What Jackson makes of the text: "ok" for an object, else the reason the reader must give. */
    private String jacksonVerdict(byte[] utf8) {
        if (utf8.length >= 3 && utf8[0] == (byte) 0xEF && utf8[1] == (byte) 0xBB && utf8[2] == (byte) 0xBF) {
            return StrictJson.Refused.INVALID.getMessage(); // Jackson skips a byte order mark; JSON has none.
        }
        try (JsonParser parser = jackson.getFactory().createParser(utf8)) {
            JsonToken first = parser.nextToken();
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return StrictJson.Refused.INVALID.getMessage();
            }
            return first == JsonToken.START_OBJECT ? "ok" : StrictJson.Refused.NOT_AN_OBJECT.getMessage();
        } catch (StreamConstraintsException e) {
            return StrictJson.Refused.LIMIT.getMessage();
        } catch (IOException e) {
            return StrictJson.Refused.INVALID.getMessage();
        }
    }

    private static final String[] NAMES = {"a", "b", "type", "é", "\\u0061", "\\u00e9", "\\\"", "a\\nb", "😀", ""};
    private static final String[] STRINGS = {"", "x", "hello world", "é😀", "\\\\", "\\/", "\\u20AC", "\\uD83D\\uDE00",
            "\\b\\f\\n\\r\\t", "tab\\there", "\u2028"};
    private static final String[] NUMBERS = {"0", "-0", "1", "-12", "3.25", "-0.5e-3", "1E9", "2e+08",
            "9".repeat(DIGITS), "9".repeat(DIGITS + 1), "1." + "5".repeat(DIGITS), "12345678901234567890"};
    private static final String[] SPACE = {"", "", "", " ", "\n", "\t", "\r\n  "};

    private static void value(Random random, StringBuilder out, int depth) {
        switch (random.nextInt(depth > DEPTH + 1 ? 4 : 6)) {
            case 0 -> out.append('"').append(STRINGS[random.nextInt(STRINGS.length)]).append('"');
            case 1 -> out.append(NUMBERS[random.nextInt(NUMBERS.length)]);
            case 2 -> out.append(new String[]{"true", "false", "null"}[random.nextInt(3)]);
            case 3 -> out.append('"').append(random.nextInt(1000)).append('"');
            case 4 -> object(random, out, depth + 1);
            default -> {
                out.append('[');
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    out.append(i == 0 ? "" : ",").append(SPACE[random.nextInt(SPACE.length)]);
                    value(random, out, depth + 1);
                }
                out.append(']');
            }
        }
    }

    private static void object(Random random, StringBuilder out, int depth) {
        out.append('{');
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            out.append(i == 0 ? "" : ",").append(SPACE[random.nextInt(SPACE.length)]).append('"')
                    .append(NAMES[random.nextInt(NAMES.length)]).append(random.nextInt(3) == 0 ? "" : i).append('"')
                    .append(SPACE[random.nextInt(SPACE.length)]).append(':')
                    .append(SPACE[random.nextInt(SPACE.length)]);
            value(random, out, depth);
        }
        out.append(SPACE[random.nextInt(SPACE.length)]).append('}');
    }

    private static final String EDITS = "{}[]\":,\\ 0123456789.-+eEtrufalsn\t\n\u0001\u007f\u00e9x";

    /** The text with one character deleted, inserted, replaced, or the text cut short. */
    private static String mutate(Random random, String text) {
        if (text.isEmpty()) {
            return text;
        }
        int at = random.nextInt(text.length());
        char edit = EDITS.charAt(random.nextInt(EDITS.length()));
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at) + text.substring(at + 1);
            case 1 -> text.substring(0, at) + edit + text.substring(at);
            case 2 -> text.substring(0, at) + edit + text.substring(at + 1);
            default -> text.substring(0, at);
        };
    }

    @Test
    void refusalsAreSharedAndCarryNoStackTrace() {
        StrictJson.Refused refused = null;
        try {
            StrictJson.read("{".getBytes(StandardCharsets.UTF_8), DEPTH, DIGITS, WORDS);
        } catch (StrictJson.Refused e) {
            refused = e;
        }
        assertSame(StrictJson.Refused.INVALID, refused);
        assertEquals(0, refused.getStackTrace().length);
    }
}
