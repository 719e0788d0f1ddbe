package io.passerelle.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import com.squareup.wire.Syntax;
import com.squareup.wire.schema.Field;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.internal.parser.EnumConstantElement;
import com.squareup.wire.schema.internal.parser.EnumElement;
import com.squareup.wire.schema.internal.parser.FieldElement;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.OneOfElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import com.squareup.wire.schema.internal.parser.TypeElement;

/**
 * A {@code .proto} file's text, as a registry holds it, made into the descriptors protobuf reads and writes with.
 * The file may import the well-known types ({@code google/protobuf/timestamp.proto} and the like); a file that
 * imports another subject's schema is unsupported, as are proto2 groups.
 */
final class ProtoFiles {

    private static final Map<String, FileDescriptor> WELL_KNOWN = Map.of(
            "google/protobuf/timestamp.proto", TimestampProto.getDescriptor(),
            "google/protobuf/duration.proto", DurationProto.getDescriptor(),
            "google/protobuf/struct.proto", StructProto.getDescriptor(),
            "google/protobuf/wrappers.proto", WrappersProto.getDescriptor(),
            "google/protobuf/empty.proto", EmptyProto.getDescriptor(),
            "google/protobuf/field_mask.proto", FieldMaskProto.getDescriptor(),
            "google/protobuf/any.proto", AnyProto.getDescriptor());

    private static final Map<String, FieldDescriptorProto.Type> SCALARS = Map.ofEntries(
            Map.entry("double", FieldDescriptorProto.Type.TYPE_DOUBLE),
            Map.entry("float", FieldDescriptorProto.Type.TYPE_FLOAT),
            Map.entry("int32", FieldDescriptorProto.Type.TYPE_INT32),
            Map.entry("int64", FieldDescriptorProto.Type.TYPE_INT64),
            Map.entry("uint32", FieldDescriptorProto.Type.TYPE_UINT32),
            Map.entry("uint64", FieldDescriptorProto.Type.TYPE_UINT64),
            Map.entry("sint32", FieldDescriptorProto.Type.TYPE_SINT32),
            Map.entry("sint64", FieldDescriptorProto.Type.TYPE_SINT64),
            Map.entry("fixed32", FieldDescriptorProto.Type.TYPE_FIXED32),
            Map.entry("fixed64", FieldDescriptorProto.Type.TYPE_FIXED64),
            Map.entry("sfixed32", FieldDescriptorProto.Type.TYPE_SFIXED32),
            Map.entry("sfixed64", FieldDescriptorProto.Type.TYPE_SFIXED64),
            Map.entry("bool", FieldDescriptorProto.Type.TYPE_BOOL),
            Map.entry("string", FieldDescriptorProto.Type.TYPE_STRING),
            Map.entry("bytes", FieldDescriptorProto.Type.TYPE_BYTES));

    private ProtoFiles() {
    }

    /** The file's descriptor; a MISMATCH when the text is not a valid file, UNSUPPORTED for what is not handled. */
    static FileDescriptor parse(int id, String text) {
        ProtoFileElement file;
        try {
            file = ProtoParser.Companion.parse(Location.Companion.get("schema-" + id + ".proto"), text);
        } catch (RuntimeException e) {
            throw new SchemaException(SchemaException.Kind.MISMATCH, "schema " + id + " is not a valid .proto file");
        }
        boolean proto3 = file.getSyntax() == Syntax.PROTO_3;
        FileDescriptorProto.Builder proto = FileDescriptorProto.newBuilder().setName("schema-" + id + ".proto")
                .setSyntax(proto3 ? "proto3" : "proto2");
        if (file.getPackageName() != null) {
            proto.setPackage(file.getPackageName());
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        List<String> imports = new ArrayList<>(file.getImports());
        imports.addAll(file.getPublicImports());
        for (String imported : imports) {
            FileDescriptor known = WELL_KNOWN.get(imported);
            if (known == null) {
                throw new SchemaException(SchemaException.Kind.UNSUPPORTED,
                        "schema " + id + " imports " + imported + "; only the well-known types can be imported");
            }
            proto.addDependency(imported);
            dependencies.add(known);
        }
        for (TypeElement type : file.getTypes()) {
            if (type instanceof MessageElement message) {
                proto.addMessageType(message(id, message, proto3));
            } else if (type instanceof EnumElement enumeration) {
                proto.addEnumType(enumeration(enumeration));
            }
        }
        try {
            return FileDescriptor.buildFrom(proto.build(), dependencies.toArray(FileDescriptor[]::new));
        } catch (DescriptorValidationException e) {
            throw new SchemaException(SchemaException.Kind.MISMATCH,
                    "schema " + id + " is not a valid .proto file: " + e.getDescription());
        }
    }

    private static DescriptorProto message(int id, MessageElement element, boolean proto3) {
        if (!element.getGroups().isEmpty()) {
            throw new SchemaException(SchemaException.Kind.UNSUPPORTED, "schema " + id + " uses proto2 groups");
        }
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(element.getName());
        // Real oneofs come before the synthetic ones of proto3 optional fields, as protobuf requires.
        for (OneOfElement oneOf : element.getOneOfs()) {
            message.addOneofDecl(OneofDescriptorProto.newBuilder().setName(oneOf.getName()));
        }
        for (FieldElement field : element.getFields()) {
            message.addField(field(message, field, null, proto3));
        }
        for (int index = 0; index < element.getOneOfs().size(); index++) {
            for (FieldElement field : element.getOneOfs().get(index).getFields()) {
                message.addField(field(message, field, index, proto3));
            }
        }
        for (TypeElement nested : element.getNestedTypes()) {
            if (nested instanceof MessageElement nestedMessage) {
                message.addNestedType(message(id, nestedMessage, proto3));
            } else if (nested instanceof EnumElement nestedEnum) {
                message.addEnumType(enumeration(nestedEnum));
            }
        }
        return message.build();
    }

    private static FieldDescriptorProto field(DescriptorProto.Builder message, FieldElement element, Integer oneOf,
            boolean proto3) {
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setName(element.getName())
                .setNumber(element.getTag()).setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
        if (element.getJsonName() != null) {
            field.setJsonName(element.getJsonName());
        }
        if (element.getDefaultValue() != null) {
            field.setDefaultValue(element.getDefaultValue());
        }
        if (oneOf != null) {
            field.setOneofIndex(oneOf);
        } else if (element.getLabel() == Field.Label.REPEATED) {
            field.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED);
        } else if (element.getLabel() == Field.Label.REQUIRED) {
            field.setLabel(FieldDescriptorProto.Label.LABEL_REQUIRED);
        } else if (element.getLabel() == Field.Label.OPTIONAL && proto3) {
            field.setProto3Optional(true).setOneofIndex(message.getOneofDeclCount());
            message.addOneofDecl(OneofDescriptorProto.newBuilder().setName("_" + element.getName()));
        }
        String type = element.getType();
        if (type.startsWith("map<")) {
            String[] keyAndValue = type.substring(4, type.length() - 1).split(",", 2);
            String entry = camelCase(element.getName()) + "Entry";
            message.addNestedType(DescriptorProto.newBuilder().setName(entry)
                    .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                    .addField(typed(FieldDescriptorProto.newBuilder().setName("key").setNumber(1),
                            keyAndValue[0].trim()))
                    .addField(typed(FieldDescriptorProto.newBuilder().setName("value").setNumber(2),
                            keyAndValue[1].trim())));
            field.setLabel(FieldDescriptorProto.Label.LABEL_REPEATED).setTypeName(entry);
        } else {
            typed(field, type);
        }
        return field.build();
    }

    /** A scalar's type, or the name of a message or enum, left for protobuf to resolve in scope. */
    private static FieldDescriptorProto.Builder typed(FieldDescriptorProto.Builder field, String type) {
        FieldDescriptorProto.Type scalar = SCALARS.get(type);
        return scalar != null ? field.setType(scalar) : field.setTypeName(type);
    }

    private static EnumDescriptorProto enumeration(EnumElement element) {
        EnumDescriptorProto.Builder enumeration = EnumDescriptorProto.newBuilder().setName(element.getName());
        boolean aliases = element.getOptions().stream()
                .anyMatch(option -> option.getName().equals("allow_alias") && "true".equals(option.getValue()));
        if (aliases) {
            enumeration.getOptionsBuilder().setAllowAlias(true);
        }
        for (EnumConstantElement constant : element.getConstants()) {
            enumeration.addValue(EnumValueDescriptorProto.newBuilder().setName(constant.getName())
                    .setNumber(constant.getTag()));
        }
        return enumeration.build();
    }

    /** The name protobuf gives a map field's entry: {@code item_counts} → {@code ItemCounts}. */
    private static String camelCase(String name) {
        StringBuilder camel = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }
}
