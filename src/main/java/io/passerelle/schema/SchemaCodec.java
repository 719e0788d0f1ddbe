package io.passerelle.schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One writer schema's way between the bytes a serializer wrote after the wire format's five-byte header and the
 * JSON a socket reads or sends. Implementations are immutable and safe to share between threads.
 */
sealed interface SchemaCodec permits AvroCodec, ProtobufCodec, JsonSchemaCodec {

    /** The value's payload, from {@code offset} (just after the header), as JSON; a MISMATCH when it does not fit. */
    byte[] toJson(byte[] value, int offset);

    /**
     * A publish's {@code data} (its text as sent, and its tree) as a value: {@code header} then the payload; a
     * MISMATCH naming the field when it does not fit. {@code message} is the full name of the Protobuf message to
     * write, or null for the schema's own type (a Protobuf file's first message); an UNSUPPORTED when the schema has
     * no such message, or is not Protobuf's.
     */
    byte[] fromJson(byte[] data, JsonNode tree, byte[] header, String message);

    /** True when the schema is a string's: a publish's key is then its text, not JSON text. */
    boolean isString();

    /** Refuses a Protobuf message name for a schema of a type that has no messages. */
    static void refuseMessageName(String message, String type) {
        if (message != null) {
            throw new SchemaException(SchemaException.Kind.UNSUPPORTED, "the gateway is set to publish the Protobuf "
                    + "message '" + message + "' with this subject, whose schema is " + type);
        }
    }
}
