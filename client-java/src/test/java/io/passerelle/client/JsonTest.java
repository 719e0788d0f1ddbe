package io.passerelle.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesWhatTheGatewaySends() {
        Object frame = Json.parse("{\"type\":\"event\",\"offset\":43,\"big\":123456789012345678901234567890,"
                + "\"bid\":1.25,\"key\":\"caf\\u00e9 \\\"x\\\"\\n\",\"tags\":[true,false,null],\"empty\":{}}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("type", "event");
        expected.put("offset", 43L);
        expected.put("big", new BigInteger("123456789012345678901234567890"));
        expected.put("bid", 1.25);
        expected.put("key", "café \"x\"\n");
        expected.put("tags", Arrays.asList(true, false, null));
        expected.put("empty", Map.of());
        assertEquals(expected, frame);
    }

    @Test
    void writesWhatItParses() {
        String text = "{\"a\":[1,-2.5,\"\\u0001\\t\"],\"b\":{\"c\":null},\"d\":true}";
        assertEquals(text, Json.text(Json.parse(text)));
        assertEquals("{\"raw\":[1,2]}", Json.text(Map.of("raw", Json.raw(" [1,2]".trim()))));
        assertEquals("[\"x\",3]", Json.text(List.of("x", 3)));
        assertEquals("[null,\"y\"]", Json.text(new Object[]{null, "y"}));
    }

    @Test
    void refusesWhatIsNotStrictJson() {
        for (String bad : List.of("", "{", "{\"a\":1,\"a\":2}", "[1,]", "01", "1.", "{\"a\":1} x", "'a'", "nul",
                "[".repeat(100) + "]".repeat(100), "\"\u0001\"")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.text(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.text(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.raw("{oops}"));
    }
}
