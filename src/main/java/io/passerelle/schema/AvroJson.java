package io.passerelle.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Avro binary to plain JSON and back, the JSON a browser expects: a record is an object, a union is the value of
 * its branch (no wrapper), an enum is its symbol, bytes and fixed are base64 strings, logical types keep their
 * underlying value (a {@code timestamp-millis} is a number). Encoding names the field that does not fit.
 */
final class AvroJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AvroJson() {
    }

    /** The Avro binary datum at {@code offset} of {@code bytes}, as JSON. */
    static byte[] toJson(Schema schema, byte[] bytes, int offset) {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
        Object datum;
        try {
            datum = new GenericDatumReader<>(schema).read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, "the value does not fit its writer schema");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 2);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, schema, datum);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The JSON value as an Avro binary datum of the schema, after {@code prefix}. */
    static byte[] toAvro(Schema schema, JsonNode value, byte[] prefix) {
        Object datum = datum(schema, value, "$");
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(prefix);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Schema schema, Object datum) throws IOException {
        switch (schema.getType()) {
            case NULL -> g.writeNull();
            case BOOLEAN -> g.writeBoolean((Boolean) datum);
            case INT -> g.writeNumber((Integer) datum);
            case LONG -> g.writeNumber((Long) datum);
            case FLOAT -> writeFloating(g, (Float) datum);
            case DOUBLE -> writeFloating(g, (Double) datum);
            case STRING -> g.writeString(datum.toString());
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] copy = new byte[buffer.remaining()];
                buffer.get(copy);
                g.writeString(Base64.getEncoder().encodeToString(copy));
            }
            case FIXED -> g.writeString(Base64.getEncoder().encodeToString(((GenericFixed) datum).bytes()));
            case ENUM -> g.writeString(datum.toString());
            case ARRAY -> {
                g.writeStartArray();
                for (Object item : (Iterable<?>) datum) {
                    write(g, schema.getElementType(), item);
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    g.writeFieldName(entry.getKey().toString());
                    write(g, schema.getValueType(), entry.getValue());
                }
                g.writeEndObject();
            }
            case RECORD -> {
                GenericRecord record = (GenericRecord) datum;
                g.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    g.writeFieldName(field.name());
                    write(g, field.schema(), record.get(field.pos()));
                }
                g.writeEndObject();
            }
            case UNION -> write(g, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)), datum);
        }
    }

    private static void writeFloating(JsonGenerator g, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumber(value);
        } else {
            g.writeString(Double.toString(value)); // JSON has no NaN nor infinity
        }
    }

    private static Object datum(Schema schema, JsonNode value, String path) {
        switch (schema.getType()) {
            case NULL -> {
                require(value == null || value.isNull(), path, "null", value);
                return null;
            }
            case BOOLEAN -> {
                require(value != null && value.isBoolean(), path, "a boolean", value);
                return value.booleanValue();
            }
            case INT -> {
                require(value != null && value.isIntegralNumber() && value.canConvertToInt(), path, "an int", value);
                return value.intValue();
            }
            case LONG -> {
                require(value != null && value.isIntegralNumber() && value.canConvertToLong(), path, "a long",
                        value);
                return value.longValue();
            }
            case FLOAT -> {
                require(value != null && value.isNumber(), path, "a number", value);
                return value.floatValue();
            }
            case DOUBLE -> {
                require(value != null && value.isNumber(), path, "a number", value);
                return value.doubleValue();
            }
            case STRING -> {
                require(value != null && value.isTextual(), path, "a string", value);
                return value.textValue();
            }
            case BYTES -> {
                return ByteBuffer.wrap(base64(value, path));
            }
            case FIXED -> {
                byte[] bytes = base64(value, path);
                require(bytes.length == schema.getFixedSize(), path, schema.getFixedSize() + " bytes in base64",
                        value);
                return new GenericData.Fixed(schema, bytes);
            }
            case ENUM -> {
                require(value != null && value.isTextual() && schema.hasEnumSymbol(value.textValue()), path,
                        "one of " + schema.getEnumSymbols(), value);
                GenericEnumSymbol<?> symbol = new GenericData.EnumSymbol(schema, value.textValue());
                return symbol;
            }
            case ARRAY -> {
                require(value != null && value.isArray(), path, "an array", value);
                List<Object> items = new ArrayList<>(value.size());
                for (int i = 0; i < value.size(); i++) {
                    items.add(datum(schema.getElementType(), value.get(i), path + "[" + i + "]"));
                }
                return new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                require(value != null && value.isObject(), path, "an object", value);
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    map.put(entry.getKey(),
                            datum(schema.getValueType(), entry.getValue(), path + "." + entry.getKey()));
                }
                return map;
            }
            case RECORD -> {
                require(value != null && value.isObject(), path, "an object", value);
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode fieldValue = value.get(field.name());
                    String fieldPath = path + "." + field.name();
                    if (fieldValue == null && field.hasDefaultValue()) {
                        record.put(field.pos(), GenericData.get().getDefaultValue(field));
                    } else if (fieldValue == null && !acceptsNull(field.schema())) {
                        throw mismatch(fieldPath, "is required");
                    } else {
                        record.put(field.pos(), datum(field.schema(), fieldValue, fieldPath));
                    }
                }
                for (Iterator<String> names = value.fieldNames(); names.hasNext();) {
                    String name = names.next();
                    if (schema.getField(name) == null) {
                        throw mismatch(path + "." + name, "is not a field of " + schema.getFullName());
                    }
                }
                return record;
            }
            case UNION -> {
                for (Schema branch : schema.getTypes()) {
                    try {
                        return datum(branch, value, path);
                    } catch (SchemaException notThisBranch) {
                        // The first branch the value fits is the one.
                    }
                }
                throw mismatch(path, "fits none of " + schema.getTypes().stream().map(Schema::getName).toList());
            }
            default -> throw new IllegalStateException("unknown Avro type " + schema.getType());
        }
    }

    private static boolean acceptsNull(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || schema.getType() == Schema.Type.UNION
                        && schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL);
    }

    private static byte[] base64(JsonNode value, String path) {
        require(value != null && value.isTextual(), path, "a base64 string", value);
        try {
            return Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw mismatch(path, "is not base64");
        }
    }

    private static void require(boolean fits, String path, String expected, JsonNode value) {
        if (!fits) {
            throw mismatch(path, "must be " + expected + ", not " + describe(value));
        }
    }

    private static String describe(JsonNode value) {
        if (value == null) {
            return "missing";
        }
        return switch (value.getNodeType()) {
            case NULL -> "null";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "the number " + value.asText();
            case STRING -> "a string";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static SchemaException mismatch(String path, String problem) {
        return new SchemaException(SchemaException.Kind.MISMATCH, path + " " + problem);
    }
}
