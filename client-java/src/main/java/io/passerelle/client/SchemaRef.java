package io.passerelle.client;

/**
 * The registry schema an event's value or key was written with, on topics whose records are in the Confluent wire
 * format: its registry id, and why it could not be decoded when it could not ({@code unknown_schema},
 * {@code schema_unavailable}, {@code schema_mismatch}, {@code unsupported_schema}; docs/formats.md).
 */
public final class SchemaRef {
    private final int id;
    private final String error;

    SchemaRef(int id, String error) {
        this.id = id;
        this.error = error;
    }

    /** The writer schema's registry id. */
    public int id() {
        return id;
    }

    /** Why the bytes could not be decoded (they are then in base64), or null when they were. */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return "SchemaRef[" + id + (error == null ? "" : " " + error) + "]";
    }
}
