package io.passerelle.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

/**
 * Protobuf, as Confluent's Protobuf serializer writes it after the header: the message's indexes in the file (a
 * zigzag varint count, then each index; a lone 0 for the first message), then the message. JSON is protobuf's own
 * JSON mapping (lowerCamelCase names, 64-bit integers as strings, enums by name, every field present); a publish is
 * written as the file's first message.
 */
final class ProtobufCodec implements SchemaCodec {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace()
            .alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final FileDescriptor file;

    private ProtobufCodec(FileDescriptor file) {
        this.file = file;
    }

    static ProtobufCodec parse(int id, String text) {
        ProtobufCodec codec = new ProtobufCodec(ProtoFiles.parse(id, text));
        if (codec.file.getMessageTypes().isEmpty()) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, "schema " + id + " declares no message");
        }
        return codec;
    }

    @Override
    public byte[] toJson(byte[] value, int offset) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(value, offset, value.length - offset);
            DynamicMessage message = DynamicMessage.parseFrom(messageType(in), in);
            return PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, "the value does not fit its writer schema");
        }
    }

    @Override
    public byte[] fromJson(byte[] data, JsonNode tree, byte[] header) {
        Descriptor type = file.getMessageTypes().get(0);
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        try {
            PARSER.merge(new String(data, StandardCharsets.UTF_8), message);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + 1 + data.length);
        out.writeBytes(header);
        out.write(0); // the message indexes of the first message
        out.writeBytes(message.build().toByteArray());
        return out.toByteArray();
    }

    @Override
    public boolean isString() {
        return false; // a Protobuf schema is always a message
    }

    /** The message the indexes at the start of {@code in} name. */
    private Descriptor messageType(CodedInputStream in) throws IOException {
        int count = CodedInputStream.decodeZigZag32(in.readRawVarint32());
        if (count == 0) {
            return file.getMessageTypes().get(0);
        }
        List<Descriptor> scope = file.getMessageTypes();
        Descriptor type = null;
        for (int i = 0; i < count; i++) {
            type = scope.get(CodedInputStream.decodeZigZag32(in.readRawVarint32()));
            scope = type.getNestedTypes();
        }
        return type;
    }
}
