package io.passerelle.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** What a Confluent-format Avro serializer writes: a zero byte, the schema id, the record in Avro's own binary. */
public final class ConfluentAvro {

    private ConfluentAvro() {
    }

    public static byte[] encode(int schemaId, GenericRecord record) {
        return encode(schemaId, record.getSchema(), record);
    }

    /** Any datum of its schema: a record, or a primitive such as a string key. */
    public static byte[] encode(int schemaId, Schema schema, Object datum) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<Object>(schema).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
