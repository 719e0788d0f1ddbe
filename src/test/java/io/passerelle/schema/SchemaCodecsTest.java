package io.passerelle.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The messages a client reads when its data does not fit a Protobuf or JSON Schema subject, as docs/formats.md shows. */
class SchemaCodecsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HEADER = {0, 0, 0, 0, 1};

    @Test
    void aProtobufPublishNamesTheUnknownField() throws Exception {
        SchemaCodec codec = ProtobufCodec.parse(1, """
                syntax = "proto3";
                package shop;
                message Order { string id = 1; int64 total_cents = 2; optional string note = 3;
                  oneof pay { string card = 4; string iban = 5; } }
                """);
        SchemaException refused = assertThrows(SchemaException.class, () -> encode(codec, "{\"colour\":\"red\"}"));
        assertEquals("Cannot find field: colour in message shop.Order", refused.getMessage());

        byte[] value = encode(codec, "{\"id\":\"o-1\",\"total_cents\":1250,\"iban\":\"DE00\"}");
        assertEquals("{\"id\":\"o-1\",\"totalCents\":\"1250\",\"iban\":\"DE00\"}",
                new String(codec.toJson(value, HEADER.length), StandardCharsets.UTF_8));
    }

    @Test
    void aJsonSchemaPublishNamesWhereItFails() {
        SchemaCodec codec = JsonSchemaCodec.parse(2, """
                {"type":"object","properties":{"id":{"type":"string"},"amount":{"type":"number"}}}""");
        SchemaException refused = assertThrows(SchemaException.class,
                () -> encode(codec, "{\"id\":\"i-1\",\"amount\":\"lots\"}"));
        assertEquals("/amount: string found, number expected", refused.getMessage());
    }

    @Test
    void aStringSchemaTakesAKeysTextAndAnyOtherTakesJson() {
        assertTrue(AvroCodec.parse(3, "\"string\"").isString());
        assertFalse(AvroCodec.parse(4, "\"long\"").isString());
        assertTrue(JsonSchemaCodec.parse(5, "{\"type\":\"string\",\"maxLength\":8}").isString());
        assertFalse(JsonSchemaCodec.parse(6, "{\"type\":\"object\"}").isString());
        assertFalse(ProtobufCodec.parse(7, "syntax = \"proto3\"; message Key { string id = 1; }").isString());
    }

    private static byte[] encode(SchemaCodec codec, String data) throws Exception {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return encode(codec, data, null);
    }

    private static byte[] encode(SchemaCodec codec, String data, String message) throws Exception {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return codec.fromJson(bytes, JSON.readTree(bytes), HEADER, message);
    }

    private static final String PROTO_EVENTS = """
            syntax = "proto3";
            package shop;
            message Placed { string id = 1; }
            message Shipped {
              string id = 1;
              string carrier = 2;
              message Parcel { string tracking = 1; }
            }
            """;

    @Test
    void aProtobufPublishIsWrittenAsTheMessageItsSubjectNamesWithItsIndexes() throws Exception {
        SchemaCodec codec = ProtobufCodec.parse(9, PROTO_EVENTS);
        // Confluent's message indexes after the header: a lone 0 for the first message; else a zigzag count, then
        // each index zigzag-encoded (1 is 2, 0 is 0).
        assertArrayEquals(new byte[]{0}, indexes(encode(codec, "{\"id\":\"p-1\"}", null), 1));
        assertArrayEquals(new byte[]{0}, indexes(encode(codec, "{\"id\":\"p-1\"}", "shop.Placed"), 1));
        byte[] shipped = encode(codec, "{\"id\":\"s-1\",\"carrier\":\"post\"}", "shop.Shipped");
        assertArrayEquals(new byte[]{2, 2}, indexes(shipped, 2));
        byte[] parcel = encode(codec, "{\"tracking\":\"T-9\"}", "shop.Shipped.Parcel");
        assertArrayEquals(new byte[]{4, 2, 0}, indexes(parcel, 3));
        // Read back as a reader reads them: with the message the indexes name.
        assertEquals("{\"id\":\"s-1\",\"carrier\":\"post\"}",
                new String(codec.toJson(shipped, HEADER.length), StandardCharsets.UTF_8));
        assertEquals("{\"tracking\":\"T-9\"}", new String(codec.toJson(parcel, HEADER.length), StandardCharsets.UTF_8));
        // The named message's own fields are what is checked.
        SchemaException refused = assertThrows(SchemaException.class,
                () -> encode(codec, "{\"id\":\"s-2\",\"carrier\":\"post\"}", "shop.Placed"));
        assertEquals(SchemaException.Kind.MISMATCH, refused.kind());
        assertTrue(refused.getMessage().contains("carrier"), refused.getMessage());
    }

    @Test
    void aMessageNameTheSchemaDoesNotDeclareOrThatIsNotProtobufIsUnsupported() {
        SchemaCodec codec = ProtobufCodec.parse(10, PROTO_EVENTS);
        for (String missing : new String[]{"Shipped", "shop.Returned", "shop.Shipped.Box", "other.Shipped", "shop."}) {
            SchemaException refused = assertThrows(SchemaException.class,
                    () -> encode(codec, "{\"id\":\"s-1\"}", missing), missing);
            assertEquals(SchemaException.Kind.UNSUPPORTED, refused.kind(), missing);
            assertTrue(refused.getMessage().contains("'" + missing + "'"), refused.getMessage());
        }
        SchemaException avro = assertThrows(SchemaException.class,
                () -> encode(AvroCodec.parse(11, "\"string\""), "\"x\"", "shop.Shipped"));
        assertEquals(SchemaException.Kind.UNSUPPORTED, avro.kind());
        SchemaException jsonSchema = assertThrows(SchemaException.class,
                () -> encode(JsonSchemaCodec.parse(12, "{\"type\":\"string\"}"), "\"x\"", "shop.Shipped"));
        assertEquals(SchemaException.Kind.UNSUPPORTED, jsonSchema.kind());
    }

    /** The message indexes of a written value: the bytes after the header, {@code length} of them. */
    private static byte[] indexes(byte[] value, int length) {
        return Arrays.copyOfRange(value, HEADER.length, HEADER.length + length);
    }

    @Test
    void aJsonSchemaReferringToAnotherDocumentIsUnsupportedAndNothingIsFetched() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(300);
            String elsewhere = "http://127.0.0.1:" + server.getLocalPort() + "/order.json";
            SchemaException refused = assertThrows(SchemaException.class,
                    () -> JsonSchemaCodec.parse(7, "{\"type\":\"object\",\"properties\":{\"order\":{\"$ref\":\""
                            + elsewhere + "\"}}}"));
            assertEquals(SchemaException.Kind.UNSUPPORTED, refused.kind(), refused.getMessage());
            assertTrue(refused.getMessage().contains(elsewhere), refused.getMessage());
            assertThrows(SocketTimeoutException.class, server::accept, "the gateway fetched the referred schema");
        }
        // A reference inside the schema itself is resolved as before.
        SchemaCodec local = JsonSchemaCodec.parse(8, """
                {"type":"object","properties":{"id":{"$ref":"#/definitions/id"}},
                 "definitions":{"id":{"type":"string"}}}""");
        assertThrows(SchemaException.class, () -> encode(local, "{\"id\":1}"));
    }
}
