package io.passerelle.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class AvroJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema EVERY_TYPE = new Schema.Parser().parse("""
            {"type":"record","name":"All","fields":[
             {"name":"flag","type":"boolean"},
             {"name":"count","type":"int"},
             {"name":"big","type":"long"},
             {"name":"ratio","type":"float"},
             {"name":"price","type":"double"},
             {"name":"name","type":"string"},
             {"name":"raw","type":"bytes"},
             {"name":"hash","type":{"type":"fixed","name":"Hash","size":2}},
             {"name":"side","type":{"type":"enum","name":"Side","symbols":["BUY","SELL"]}},
             {"name":"tags","type":{"type":"array","items":"string"}},
             {"name":"limits","type":{"type":"map","values":"long"}},
             {"name":"maybe","type":["null","string"]},
             {"name":"inner","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]}},
             {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
             {"name":"withDefault","type":"int","default":7}]}""");

    private static byte[] roundTrip(String json) throws Exception {
        byte[] avro = AvroJson.toAvro(EVERY_TYPE, JSON.readTree(json), new byte[]{0});
        return AvroJson.toJson(EVERY_TYPE, avro, 1);
    }

    @Test
    void everyTypeBecomesThePlainJsonABrowserExpectsAndBack() throws Exception {
        String json = "{\"flag\":true,\"count\":3,\"big\":12345678901,\"ratio\":0.5,\"price\":1.25,\"name\":\"é\","
                + "\"raw\":\"AP8=\",\"hash\":\"AQI=\",\"side\":\"SELL\",\"tags\":[\"a\",\"b\"],\"limits\":{\"day\":5},"
                + "\"maybe\":\"yes\",\"inner\":{\"x\":1},\"at\":1764150000000,\"withDefault\":7}";
        assertEquals(json, new String(roundTrip(json), StandardCharsets.UTF_8));
    }

    @Test
    void aMissingFieldTakesItsDefaultAndANullUnionIsNull() throws Exception {
        String json = "{\"flag\":false,\"count\":0,\"big\":0,\"ratio\":0,\"price\":0,\"name\":\"\",\"raw\":\"\","
                + "\"hash\":\"AAA=\",\"side\":\"BUY\",\"tags\":[],\"limits\":{},\"inner\":{\"x\":0},\"at\":0}";
        String back = new String(roundTrip(json), StandardCharsets.UTF_8);
        assertTrue(back.contains("\"maybe\":null"), back);
        assertTrue(back.endsWith("\"withDefault\":7}"), back);
    }

    @Test
    void whatDoesNotFitIsRefusedNamingItsPlace() {
        String base = "{\"flag\":true,\"count\":1,\"big\":1,\"ratio\":1,\"price\":1,\"name\":\"n\",\"raw\":\"\","
                + "\"hash\":\"AAA=\",\"side\":\"BUY\",\"tags\":[\"t\"],\"limits\":{},\"inner\":{\"x\":1},\"at\":0";
        assertRefused(base.replace("\"count\":1", "\"count\":1.5") + "}", "$.count must be an int");
        assertRefused(base.replace("\"count\":1", "\"count\":3000000000") + "}", "$.count must be an int");
        assertRefused(base.replace("[\"t\"]", "[\"t\",2]") + "}", "$.tags[1] must be a string");
        assertRefused(base.replace("{\"x\":1}", "{}") + "}", "$.inner.x is required");
        assertRefused(base.replace("\"AAA=\"", "\"AA==\"") + "}", "$.hash must be 2 bytes in base64");
        assertRefused(base + ",\"maybe\":5}", "$.maybe fits none of [null, string]");
        assertRefused(base + ",\"extra\":1}", "$.extra is not a field of All");
        assertRefused(base.replace("\"name\":\"n\",", "") + "}", "$.name is required");
    }

    private static void assertRefused(String json, String message) {
        SchemaException refused = assertThrows(SchemaException.class,
                () -> AvroJson.toAvro(EVERY_TYPE, JSON.readTree(json), new byte[0]));
        assertEquals(SchemaException.Kind.MISMATCH, refused.kind());
        assertTrue(refused.getMessage().startsWith(message), refused.getMessage());
    }
}
