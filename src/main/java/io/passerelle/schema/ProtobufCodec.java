package io.passerelle.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

/**
 * Protobuf, as Confluent's Protobuf serializer writes it after the header: the message's indexes in the file (a
 * zigzag varint count, then each index; a lone 0 for the first message), then the message. JSON is protobuf's own
 * JSON mapping (lowerCamelCase names, 64-bit integers as strings, enums by name, every field present); a publish is
 * written as the message its subject is set to ({@code passerelle.schemas.messages}), else as the file's first.
 */
final class ProtobufCodec implements SchemaCodec {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace()
            .alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final int id;
    private final FileDescriptor file;
    private final Target first;
    /** The messages publishes are set to be written as, by full name, each resolved once. */
    private final Map<String, Target> named = new ConcurrentHashMap<>();

    private ProtobufCodec(int id, FileDescriptor file) {
        this.id = id;
        this.file = file;
        this.first = new Target(file.getMessageTypes().get(0), wireIndexes(new int[]{0}));
    }

    static ProtobufCodec parse(int id, String text) {
        FileDescriptor file = ProtoFiles.parse(id, text);
        if (file.getMessageTypes().isEmpty()) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, "schema " + id + " declares no message");
        }
        return new ProtobufCodec(id, file);
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
    public byte[] fromJson(byte[] data, JsonNode tree, byte[] header, String message) {
        Target target = message == null ? first : named.computeIfAbsent(message, this::resolve);
        DynamicMessage.Builder written = DynamicMessage.newBuilder(target.type());
        try {
            PARSER.merge(new String(data, StandardCharsets.UTF_8), written);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + target.indexes().length + data.length);
        out.writeBytes(header);
        out.writeBytes(target.indexes());
        out.writeBytes(written.build().toByteArray());
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

    /** The message of this full name ({@code package.Message}, {@code package.Message.Nested}) and its indexes. */
    private Target resolve(String fullName) {
        String prefix = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
        if (!fullName.startsWith(prefix)) {
            throw noSuchMessage(fullName);
        }
        String[] path = fullName.substring(prefix.length()).split("\\.", -1);
        int[] indexes = new int[path.length];
        List<Descriptor> scope = file.getMessageTypes();
        Descriptor type = null;
        for (int i = 0; i < path.length; i++) {
            indexes[i] = indexOf(scope, path[i]);
            if (indexes[i] < 0) {
                throw noSuchMessage(fullName);
            }
            type = scope.get(indexes[i]);
            scope = type.getNestedTypes();
        }
        return new Target(type, wireIndexes(indexes));
    }

    private static int indexOf(List<Descriptor> scope, String name) {
        for (int i = 0; i < scope.size(); i++) {
            if (scope.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private SchemaException noSuchMessage(String fullName) {
        return new SchemaException(SchemaException.Kind.UNSUPPORTED,
                "schema " + id + " declares no message '" + fullName + "' to publish as");
    }

    /** Indexes as Confluent's serializer writes them: a zigzag varint count, then each; a lone 0 for the first. */
    private static byte[] wireIndexes(int[] indexes) {
        if (indexes.length == 1 && indexes[0] == 0) {
            return new byte[]{0};
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        try {
            coded.writeUInt32NoTag(CodedOutputStream.encodeZigZag32(indexes.length));
            for (int index : indexes) {
                coded.writeUInt32NoTag(CodedOutputStream.encodeZigZag32(index));
            }
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** A message publishes are written as, and its indexes in the file as the wire format carries them. */
    private record Target(Descriptor type, byte[] indexes) {
    }
}
