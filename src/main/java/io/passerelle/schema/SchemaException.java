package io.passerelle.schema;

/**
 * A value that could not be decoded or encoded with its schema, in the schema package's own terms: the exchange maps
 * it to a wire error.
 */
public final class SchemaException extends RuntimeException {

    /** Why. */
    public enum Kind {
        /** The data does not fit the schema. */
        MISMATCH,
        /** The registry knows no such schema id or subject. */
        UNKNOWN,
        /** The registry did not answer in time, or failed. */
        UNAVAILABLE,
        /** The schema uses what the gateway does not read: references to other subjects, proto2 groups. */
        UNSUPPORTED
    }

    private final Kind kind;

    public SchemaException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
