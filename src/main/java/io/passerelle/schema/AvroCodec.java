package io.passerelle.schema;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/** Avro binary, as Confluent's Avro serializer writes it after the header (see {@link AvroJson}). */
record AvroCodec(Schema schema) implements SchemaCodec {

    static AvroCodec parse(int id, String text) {
        try {
            return new AvroCodec(new Schema.Parser().parse(text));
        } catch (RuntimeException e) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, "schema " + id + " is not a valid Avro schema");
        }
    }

    @Override
    public byte[] toJson(byte[] value, int offset) {
        return AvroJson.toJson(schema, value, offset);
    }

    @Override
    public byte[] fromJson(byte[] data, JsonNode tree, byte[] header, String message) {
        SchemaCodec.refuseMessageName(message, "Avro");
        return AvroJson.toAvro(schema, tree, header);
    }

    @Override
    public boolean isString() {
        return schema.getType() == Schema.Type.STRING;
    }
}
