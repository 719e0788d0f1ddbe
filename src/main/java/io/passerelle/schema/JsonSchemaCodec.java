package io.passerelle.schema;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * JSON text, as Confluent's JSON Schema serializer writes it after the header: delivered as it is once it is known
 * to be one JSON value; a publish is validated against the schema (draft 7 unless its {@code $schema} says another)
 * and written byte for byte as the client sent it. A schema is resolved within itself: a {@code $ref} to another
 * document is never fetched, and the schema is unsupported.
 */
final class JsonSchemaCodec implements SchemaCodec {

    private static final SchemaRegistry DIALECTS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private final Schema schema;

    private JsonSchemaCodec(Schema schema) {
        this.schema = schema;
    }

    static JsonSchemaCodec parse(int id, String text) {
        try {
            Schema schema = DIALECTS.getSchema(text);
            schema.initializeValidators();
            return new JsonSchemaCodec(schema);
        } catch (RuntimeException e) {
            // The validator fetches nothing: a reference to another document cannot be resolved.
            String elsewhere = externalReference(text);
            if (elsewhere != null) {
                throw new SchemaException(SchemaException.Kind.UNSUPPORTED, "schema " + id
                        + " refers to another document (" + elsewhere + "), which the gateway does not fetch");
            }
            throw new SchemaException(SchemaException.Kind.MISMATCH, "schema " + id + " is not a valid JSON Schema");
        }
    }

    /** The first {@code $ref} of the schema that points outside it, or null. */
    private static String externalReference(String text) {
        try {
            return externalReference(MAPPER.readTree(text));
        } catch (IOException e) {
            return null;
        }
    }

    private static String externalReference(JsonNode node) {
        JsonNode ref = node.isObject() ? node.get("$ref") : null;
        if (ref != null && ref.isTextual() && !ref.asText().startsWith("#")) {
            return ref.asText();
        }
        for (JsonNode child : node) {
            String found = externalReference(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    @Override
    public byte[] toJson(byte[] value, int offset) {
        byte[] payload = Arrays.copyOfRange(value, offset, value.length);
        if (!isOneJsonValue(payload)) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, "the value is not JSON");
        }
        return payload;
    }

    @Override
    public byte[] fromJson(byte[] data, JsonNode tree, byte[] header, String message) {
        SchemaCodec.refuseMessageName(message, "a JSON Schema");
        List<Error> errors = schema.validate(tree);
        if (!errors.isEmpty()) {
            Error first = errors.get(0);
            throw new SchemaException(SchemaException.Kind.MISMATCH, first.toString());
        }
        byte[] value = Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, value, header.length, data.length);
        return value;
    }

    @Override
    public boolean isString() {
        JsonNode type = schema.getSchemaNode().get("type");
        return type != null && type.isTextual() && type.asText().equals("string");
    }

    private static boolean isOneJsonValue(byte[] payload) {
        try (JsonParser parser = JSON.createParser(payload)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
