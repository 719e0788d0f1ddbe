package io.passerelle.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class FrameWriterTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void recognisesSingleJsonValues() {
        assertTrue(FrameWriter.isSingleJsonValue("{\"a\":1}"));
        assertTrue(FrameWriter.isSingleJsonValue(" 42 "));
        assertTrue(FrameWriter.isSingleJsonValue("\"s\""));
        assertFalse(FrameWriter.isSingleJsonValue("1 2"));
        assertFalse(FrameWriter.isSingleJsonValue("{\"a\":1}{}"));
        assertFalse(FrameWriter.isSingleJsonValue("hello"));
        assertFalse(FrameWriter.isSingleJsonValue(""));
        assertFalse(FrameWriter.isSingleJsonValue("{\"a\":"));
    }

    @Test
    void errorTextIsEscapedAndOffsetRangesAreListed() throws Exception {
        JsonNode error = json.readTree(FrameWriter.error(new OffsetOutOfRangeException("s\"1", "gone\n",
                Map.of(1, new OffsetOutOfRangeException.Range(5, 9)))));
        assertEquals("s\"1", error.get("id").asText());
        assertEquals("offset_out_of_range", error.get("code").asText());
        assertEquals("gone\n", error.get("message").asText());
        assertEquals(5, error.get("available").get("1").get("first").asLong());
        assertEquals(9, error.get("available").get("1").get("last").asLong());
    }
}
