package io.passerelle.schema;

/**
 * A schema as the registry holds it: its id (what the wire format carries) and the codec of its type, or why it has
 * none (a schema that cannot be used is kept too, so that its records do not ask the registry again).
 */
record WriterSchema(int id, SchemaCodec codec, SchemaException unusable) {

    /** The codec, or the reason there is none. */
    SchemaCodec usable() {
        if (unusable != null) {
            throw unusable;
        }
        return codec;
    }
}
