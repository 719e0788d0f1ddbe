package io.passerelle.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

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
        return codec.fromJson(bytes, JSON.readTree(bytes), HEADER);
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
        assertThrows(SchemaException.class, () -> local.fromJson("{\"id\":1}".getBytes(StandardCharsets.UTF_8),
                new ObjectMapper().readTree("{\"id\":1}"), new byte[5]));
    }
}
