package io.passerelle.schema;

import org.apache.avro.Schema;

/**
 * A schema as the registry holds it: its id (what the wire format carries), its type, and the parsed Avro schema.
 */
public record WriterSchema(int id, String type, Schema avro) {

    public static final String AVRO = "AVRO";
}
