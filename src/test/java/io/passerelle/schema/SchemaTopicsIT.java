package io.passerelle.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;

import io.passerelle.client.Event;
import io.passerelle.client.PasserelleClient;
import io.passerelle.testing.ConfluentAvro;
import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaTestBroker;
import io.passerelle.testing.SchemaRegistryProcess;
import io.passerelle.testing.TestSocket;
import io.passerelle.testing.TestTokens;

/**
 * Avro topics through a real registry (Apicurio Registry, its Confluent-compatible API) and a real broker: records
 * written by Avro's own writer in the Confluent wire format reach sockets as JSON, publishes are validated and
 * encoded, and what cannot be is answered.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaTopicsIT {

    private static final String ORDER = """
            {"type":"record","name":"Order","namespace":"shop","fields":[
             {"name":"id","type":"string"},
             {"name":"amount","type":"double"},
             {"name":"currency","type":{"type":"enum","name":"Currency","symbols":["EUR","USD"]}},
             {"name":"note","type":["null","string"],"default":null}]}""";

    private static SchemaRegistryProcess registry;
    private static GatewayProcess gateway;
    private static Schema schema;
    private static int schemaId;
    private static String topic;
    private static String pinned;
    private static String shipments;
    private static String misnamed;

    @BeforeAll
    static void start() throws Exception {
        registry = SchemaRegistryProcess.start();
        topic = KafkaTestBroker.createTopic("avro-orders", 1);
        schema = new Schema.Parser().parse(ORDER);
        schemaId = registry.register(topic + "-value", "AVRO", ORDER);
        pinned = KafkaTestBroker.createTopic("avro-pinned", 1);
        shipments = KafkaTestBroker.createTopic("proto-shipments", 1);
        misnamed = KafkaTestBroker.createTopic("proto-misnamed", 1);
        gateway = GatewayProcess.start(Map.of("passerelle.schemas.registry-url", registry.ccompatUrl(),
                "passerelle.schemas.value-topics", "avro-*,proto-*,jsonschema-*",
                "passerelle.schemas.key-topics", "avro-keyed-*",
                "passerelle.schemas.versions.\"" + pinned + "-value\"", "1",
                "passerelle.schemas.messages.\"" + shipments + "-value\"", "shop.Shipped",
                "passerelle.schemas.messages.\"" + misnamed + "-value\"", "shop.Returned"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** An order of the {@code ORDER} schema, as a backend's Avro writer holds it. */
    private static GenericRecord order(String id, double amount, String currency, String note) {
        GenericRecord order = new GenericData.Record(schema);
        order.put("id", id);
        order.put("amount", amount);
        order.put("currency", new GenericData.EnumSymbol(schema.getField("currency").schema(), currency));
        order.put("note", note);
        return order;
    }

    private static TestSocket socket(String... topics) {
        return TestSocket.connect(gateway.ws(), TestTokens.token("shopper", List.of(topics), List.of(topics)));
    }

    @Test
    void anAvroRecordReachesTheSocketAsJsonNamingItsSchema() throws Exception {
        try (TestSocket socket = socket(topic)) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + topic + "\"}");
            assertEquals("subscribed", socket.answerTo("s").get("type").asText());
            produce(topic, ConfluentAvro.encode(schemaId, order("o-1", 12.5, "EUR", "gift")));

            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals(schemaId, event.path("schema").path("id").asInt());
            assertTrue(event.path("schema").path("error").isMissingNode());
            assertEquals("{\"id\":\"o-1\",\"amount\":12.5,\"currency\":\"EUR\",\"note\":\"gift\"}",
                    event.get("data").toString());
        }
    }

    @Test
    void aPublishIsValidatedAndEncodedWithTheSubjectsSchema() throws Exception {
        try (TestSocket socket = socket(topic)) {
            byte[] written = acked(socket, topic, "{\"id\":\"o-2\",\"amount\":3,\"currency\":\"USD\"}");
            ByteBuffer value = ByteBuffer.wrap(written);
            assertEquals(0, value.get(), "the magic byte");
            assertEquals(schemaId, value.getInt(), "the schema id");
            GenericRecord order = new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(written, 5, written.length - 5, null));
            assertEquals("o-2", order.get("id").toString());
            assertEquals(3.0, order.get("amount"));
            assertEquals("USD", order.get("currency").toString());
            assertEquals(null, order.get("note"), "the default of a missing optional field");
        }
    }

    @Test
    void dataThatDoesNotFitIsRefusedNamingTheFieldAndNothingReachesKafka() throws Exception {
        try (TestSocket socket = socket(topic)) {
            long before = KafkaTestBroker.readAll(topic, Integer.MAX_VALUE, Duration.ofSeconds(2)).size();
            socket.send("{\"type\":\"publish\",\"id\":\"bad\",\"channel\":\"" + topic + "\",\"data\":"
                    + "{\"id\":\"o-3\",\"amount\":\"lots\",\"currency\":\"EUR\"}}");
            JsonNode error = socket.answerTo("bad");
            assertEquals("schema_mismatch", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("$.amount"), error.toString());

            socket.send("{\"type\":\"publish\",\"id\":\"enum\",\"channel\":\"" + topic + "\",\"data\":"
                    + "{\"id\":\"o-4\",\"amount\":1,\"currency\":\"GBP\"}}");
            assertTrue(socket.answerTo("enum").path("message").asText().contains("$.currency"));
            socket.send("{\"type\":\"publish\",\"id\":\"extra\",\"channel\":\"" + topic + "\",\"data\":"
                    + "{\"id\":\"o-5\",\"amount\":1,\"currency\":\"EUR\",\"colour\":\"red\"}}");
            assertTrue(socket.answerTo("extra").path("message").asText().contains("$.colour"));
            assertEquals(before, KafkaTestBroker.readAll(topic, Integer.MAX_VALUE, Duration.ofSeconds(2)).size(),
                    "nothing unencodable reaches Kafka");
        }
    }

    @Test
    void unknownSchemasAndMissingSubjectsAreAnswered() throws Exception {
        String unregistered = KafkaTestBroker.createTopic("avro-unregistered", 1);
        try (TestSocket socket = socket(unregistered)) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + unregistered + "\"}");
            socket.answerTo("s");
            produce(unregistered, ByteBuffer.allocate(7).put((byte) 0).putInt(987_654).put((byte) 2)
                    .put((byte) 'x').array());
            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals(987_654, event.path("schema").path("id").asInt());
            assertEquals("unknown_schema", event.path("schema").path("error").asText());
            assertEquals("base64", event.path("encoding").asText(), "the bytes as they are");

            socket.send("{\"type\":\"publish\",\"id\":\"p\",\"channel\":\"" + unregistered + "\",\"data\":{}}");
            JsonNode error = socket.answerTo("p");
            assertEquals("schema_mismatch", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains(unregistered + "-value"), error.toString());
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aRegistryOutageIsAnsweredNotHungOn() throws Exception {
        String fresh = KafkaTestBroker.createTopic("avro-outage", 1);
        int freshId = registry.register(fresh + "-value", "AVRO", ORDER.replace("\"shop\"", "\"outage\""));
        registry.close(); // the gateway has seen neither this subject nor this id
        registry = null;
        try (TestSocket socket = socket(fresh)) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + fresh + "\"}");
            socket.answerTo("s");
            socket.send("{\"type\":\"publish\",\"id\":\"p\",\"channel\":\"" + fresh + "\",\"data\":"
                    + "{\"id\":\"o-6\",\"amount\":1,\"currency\":\"EUR\"}}");
            JsonNode error = socket.answerTo("p");
            assertEquals("unavailable", error.path("code").asText(), error.toString());

            produce(fresh, ByteBuffer.allocate(6).put((byte) 0).putInt(freshId).put((byte) 0).array());
            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals("schema_unavailable", event.path("schema").path("error").asText(), event.toString());
        }
    }

    private static final String PROTO_ORDER = """
            syntax = "proto3";
            package shop;
            message Order {
              string id = 1;
              int32 quantity = 2;
              Status status = 3;
              repeated string tags = 4;
              map<string, int32> counts = 5;
              Line line = 6;
              message Line { string sku = 1; }
            }
            enum Status { NEW = 0; PAID = 1; }
            """;

    private static final String JSON_ORDER = """
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
             "properties":{"id":{"type":"string"},"amount":{"type":"number"}},
             "required":["id","amount"],"additionalProperties":false}""";

    @Test
    void protobufTopicsRoundTripThroughTheirJsonMapping() throws Exception {
        String protoTopic = KafkaTestBroker.createTopic("proto-orders", 1);
        int id = registry.register(protoTopic + "-value", "PROTOBUF", PROTO_ORDER);
        Descriptors.FileDescriptor file = ProtoFiles.parse(id, PROTO_ORDER);
        Descriptors.Descriptor order = file.findMessageTypeByName("Order");
        DynamicMessage written = DynamicMessage.newBuilder(order)
                .setField(order.findFieldByName("id"), "o-7")
                .setField(order.findFieldByName("quantity"), 2)
                .setField(order.findFieldByName("status"), file.findEnumTypeByName("Status").findValueByName("PAID"))
                .addRepeatedField(order.findFieldByName("tags"), "gift")
                .setField(order.findFieldByName("line"), DynamicMessage.newBuilder(order.findNestedTypeByName("Line"))
                        .setField(order.findNestedTypeByName("Line").findFieldByName("sku"), "A-1").build())
                .build();
        try (TestSocket socket = socket(protoTopic)) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + protoTopic + "\"}");
            socket.answerTo("s");
            // What Confluent's Protobuf serializer writes: magic byte, id, message indexes (0: the first), message.
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            value.write(0);
            value.write(ByteBuffer.allocate(4).putInt(id).array());
            value.write(0);
            written.writeTo(value);
            produce(protoTopic, value.toByteArray());
            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals(id, event.path("schema").path("id").asInt(), event.toString());
            assertEquals("{\"id\":\"o-7\",\"quantity\":2,\"status\":\"PAID\",\"tags\":[\"gift\"],\"counts\":{},"
                    + "\"line\":{\"sku\":\"A-1\"}}", event.get("data").toString());

            byte[] record = acked(socket, protoTopic,
                    "{\"id\":\"o-8\",\"quantity\":5,\"status\":\"NEW\",\"counts\":{\"a\":1}}");
            assertEquals(id, ByteBuffer.wrap(record, 1, 4).getInt());
            assertEquals(0, record[5], "the first message's indexes");
            DynamicMessage read = DynamicMessage.parseFrom(order,
                    java.util.Arrays.copyOfRange(record, 6, record.length));
            assertEquals("o-8", read.getField(order.findFieldByName("id")));
            assertEquals(5, read.getField(order.findFieldByName("quantity")));

            socket.send("{\"type\":\"publish\",\"id\":\"bad\",\"channel\":\"" + protoTopic + "\",\"data\":"
                    + "{\"id\":\"o-9\",\"colour\":\"red\"}}");
            JsonNode error = socket.answerTo("bad");
            assertEquals("schema_mismatch", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("colour"), error.toString());
        }
    }

    private static final String PROTO_EVENTS = """
            syntax = "proto3";
            package shop;
            message Placed { string id = 1; }
            message Shipped { string id = 1; string carrier = 2; }
            """;

    @Test
    void aProtobufPublishIsWrittenAsTheMessageItsSubjectIsSetTo() throws Exception {
        int id = registry.register(shipments + "-value", "PROTOBUF", PROTO_EVENTS);
        registry.register(misnamed + "-value", "PROTOBUF", PROTO_EVENTS);
        Descriptors.Descriptor shipped = ProtoFiles.parse(id, PROTO_EVENTS).findMessageTypeByName("Shipped");
        // The subscriber is a socket of its own: waiting for the publisher's ack drops the frames before it, and the
        // event may arrive first.
        try (TestSocket socket = socket(shipments, misnamed); TestSocket subscriber = socket(shipments)) {
            subscriber.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + shipments + "\"}");
            subscriber.answerTo("s");
            byte[] record = acked(socket, shipments, "{\"id\":\"s-1\",\"carrier\":\"post\"}");
            // As Confluent's serializer writes the file's second message: indexes [1], a zigzag count then index.
            assertEquals(id, ByteBuffer.wrap(record, 1, 4).getInt());
            assertEquals(2, record[5], "one index");
            assertEquals(2, record[6], "the second message");
            DynamicMessage read = DynamicMessage.parseFrom(shipped,
                    java.util.Arrays.copyOfRange(record, 7, record.length));
            assertEquals("post", read.getField(shipped.findFieldByName("carrier")));
            JsonNode event = subscriber.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals("{\"id\":\"s-1\",\"carrier\":\"post\"}", event.get("data").toString());

            socket.send("{\"type\":\"publish\",\"id\":\"m\",\"channel\":\"" + misnamed + "\",\"data\":"
                    + "{\"id\":\"r-1\"}}");
            JsonNode error = socket.answerTo("m");
            // A publish's schema failures are answered schema_mismatch (docs/protocol.md); the message says why.
            assertEquals("schema_mismatch", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("no message 'shop.Returned'"), error.toString());
        }
    }

    @Test
    void jsonSchemaTopicsAreDeliveredAndPublishesValidated() throws Exception {
        String jsonTopic = KafkaTestBroker.createTopic("jsonschema-orders", 1);
        int id = registry.register(jsonTopic + "-value", "JSON", JSON_ORDER);
        try (TestSocket socket = socket(jsonTopic)) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + jsonTopic + "\"}");
            socket.answerTo("s");
            byte[] payload = "{\"id\":\"o-1\",\"amount\":4.5}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            produce(jsonTopic, ByteBuffer.allocate(5 + payload.length).put((byte) 0).putInt(id).put(payload).array());
            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals(id, event.path("schema").path("id").asInt(), event.toString());
            assertEquals("{\"id\":\"o-1\",\"amount\":4.5}", event.get("data").toString());

            byte[] record = acked(socket, jsonTopic, "{\"id\":\"o-2\",\"amount\":1}");
            assertEquals(id, ByteBuffer.wrap(record, 1, 4).getInt());
            assertEquals("{\"id\":\"o-2\",\"amount\":1}",
                    new String(record, 5, record.length - 5, java.nio.charset.StandardCharsets.UTF_8));

            long before = KafkaTestBroker.readAll(jsonTopic, Integer.MAX_VALUE, Duration.ofSeconds(2)).size();
            socket.send("{\"type\":\"publish\",\"id\":\"bad\",\"channel\":\"" + jsonTopic + "\",\"data\":"
                    + "{\"id\":\"o-3\",\"amount\":\"lots\"}}");
            JsonNode error = socket.answerTo("bad");
            assertEquals("schema_mismatch", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("amount"), error.toString());
            assertEquals(before, KafkaTestBroker.readAll(jsonTopic, Integer.MAX_VALUE, Duration.ofSeconds(2)).size(),
                    "nothing invalid reaches Kafka");
        }
    }

    @Test
    void aPinnedVersionIsWhatPublishesAreWrittenWith() throws Exception {
        int first = registry.register(pinned + "-value", "AVRO", ORDER.replace("\"shop\"", "\"pinned\""));
        int second = registry.register(pinned + "-value", "AVRO", ORDER.replace("\"shop\"", "\"pinned\"")
                .replace("\"default\":null}]}", "\"default\":null},{\"name\":\"channel\",\"type\":\"string\","
                        + "\"default\":\"web\"}]}"));
        assertTrue(second != first, "two versions");
        try (TestSocket socket = socket(pinned)) {
            byte[] record = acked(socket, pinned, "{\"id\":\"o-10\",\"amount\":1,\"currency\":\"EUR\"}");
            assertEquals(first, ByteBuffer.wrap(record, 1, 4).getInt(),
                    "written with version 1, not the latest");
        }
    }

    @Test
    void theSchemasKeptForPublishesAreBoundedBySubjects() throws Exception {
        int size = 1;
        SchemaRegistry client = new SchemaRegistry(registry.ccompatUrl(), Duration.ofSeconds(2), size,
                Duration.ofHours(1));
        try {
            registry.register("bounded-a-value", "AVRO", ORDER.replace("\"shop\"", "\"bounded.a\""));
            registry.register("bounded-b-value", "AVRO", ORDER.replace("\"shop\"", "\"bounded.b\""));
            client.forPublish("bounded-a-value", null).get(5, TimeUnit.SECONDS);
            registry.deleteSubject("bounded-a-value");
            client.forPublish("bounded-a-value", null).get(5, TimeUnit.SECONDS); // kept: not asked again

            client.forPublish("bounded-b-value", null).get(5, TimeUnit.SECONDS); // beyond the bound: a is forgotten
            ExecutionException forgotten = assertThrows(ExecutionException.class,
                    () -> client.forPublish("bounded-a-value", null).get(5, TimeUnit.SECONDS));
            assertEquals(SchemaException.Kind.UNKNOWN, RecordFormats.cause(forgotten).kind(), "asked again");
        } finally {
            client.close();
        }
    }

    private static final String ORDER_KEY = """
            {"type":"record","name":"OrderKey","namespace":"shop","fields":[
             {"name":"region","type":"string"},{"name":"id","type":"int"}]}""";

    @Test
    void aStringKeyIsFilteredOnAndReadAsItsTextAndPublishedInTheWireFormat() throws Exception {
        String keyed = KafkaTestBroker.createTopic("avro-keyed-orders", 1);
        Schema keySchema = Schema.create(Schema.Type.STRING);
        int keyId = registry.register(keyed + "-key", "AVRO", "\"string\"");
        int valueId = registry.register(keyed + "-value", "AVRO", ORDER);
        try (TestSocket socket = socket(keyed)) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + keyed + "\",\"key\":\"o-1\"}");
            assertEquals("subscribed", socket.answerTo("s").get("type").asText());
            GenericRecord order = order("o-1", 1.0, "USD", null);
            produce(keyed, ConfluentAvro.encode(keyId, keySchema, "o-2"), ConfluentAvro.encode(valueId, order));
            produce(keyed, ConfluentAvro.encode(keyId, keySchema, "o-1"), ConfluentAvro.encode(valueId, order));

            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals(1, event.get("offset").asLong(), "the filter compared the decoded key: " + event);
            assertEquals("o-1", event.get("key").asText());
            assertTrue(event.path("keyEncoding").isMissingNode(), event.toString());
            assertEquals(keyId, event.path("keySchema").path("id").asInt(), event.toString());
            assertEquals(valueId, event.path("schema").path("id").asInt(), event.toString());

            ConsumerRecord<byte[], byte[]> written = ackedRecord(socket, keyed, "o-9",
                    "{\"id\":\"o-9\",\"amount\":2,\"currency\":\"EUR\"}");
            ByteBuffer key = ByteBuffer.wrap(written.key());
            assertEquals(0, key.get(), "the magic byte");
            assertEquals(keyId, key.getInt(), "the key's schema id");
            assertEquals("o-9", new GenericDatumReader<Object>(keySchema).read(null, DecoderFactory.get()
                    .binaryDecoder(written.key(), 5, written.key().length - 5, null)).toString());
            assertEquals(valueId, ByteBuffer.wrap(written.value(), 1, 4).getInt());
        }
    }

    @Test
    void aRecordKeyIsReadAsJsonTextAndAPublishedKeyThatDoesNotFitIsRefused() throws Exception {
        String keyed = KafkaTestBroker.createTopic("avro-keyed-regions", 1);
        Schema keySchema = new Schema.Parser().parse(ORDER_KEY);
        int keyId = registry.register(keyed + "-key", "AVRO", ORDER_KEY);
        registry.register(keyed + "-value", "AVRO", ORDER);
        try (TestSocket socket = socket(keyed)) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + keyed + "\",\"keyPrefix\":"
                    + quoted("{\"region\":\"eu\"") + "}");
            assertEquals("subscribed", socket.answerTo("s").get("type").asText());
            GenericRecord us = new GenericData.Record(keySchema);
            us.put("region", "us");
            us.put("id", 3);
            GenericRecord eu = new GenericData.Record(keySchema);
            eu.put("region", "eu");
            eu.put("id", 7);
            produce(keyed, ConfluentAvro.encode(keyId, us), null);
            produce(keyed, ConfluentAvro.encode(keyId, eu), null);
            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals("{\"region\":\"eu\",\"id\":7}", event.get("key").asText(), "a prefix of the key's JSON");
            assertEquals(keyId, event.path("keySchema").path("id").asInt());

            ConsumerRecord<byte[], byte[]> written = ackedRecord(socket, keyed, "{\"region\":\"us\",\"id\":1}",
                    "{\"id\":\"o-11\",\"amount\":2,\"currency\":\"EUR\"}");
            GenericRecord key = new GenericDatumReader<GenericRecord>(keySchema).read(null, DecoderFactory.get()
                    .binaryDecoder(written.key(), 5, written.key().length - 5, null));
            assertEquals("us", key.get("region").toString());
            assertEquals(1, key.get("id"));

            long before = KafkaTestBroker.readAll(keyed, Integer.MAX_VALUE, Duration.ofSeconds(2)).size();
            String data = ",\"data\":{\"id\":\"o-12\",\"amount\":2,\"currency\":\"EUR\"}}";
            socket.send("{\"type\":\"publish\",\"id\":\"missing\",\"channel\":\"" + keyed + "\",\"key\":"
                    + quoted("{\"region\":\"us\"}") + data);
            JsonNode missing = socket.answerTo("missing");
            assertEquals("schema_mismatch", missing.path("code").asText(), missing.toString());
            assertEquals("key: $.id is required", missing.path("message").asText(), "as docs/formats.md shows");
            socket.send("{\"type\":\"publish\",\"id\":\"text\",\"channel\":\"" + keyed + "\",\"key\":\"eu-7\"" + data);
            JsonNode text = socket.answerTo("text");
            assertEquals("schema_mismatch", text.path("code").asText(), text.toString());
            assertTrue(text.path("message").asText().contains(keyed + "-key"), text.toString());
            assertEquals(before, KafkaTestBroker.readAll(keyed, Integer.MAX_VALUE, Duration.ofSeconds(2)).size(),
                    "nothing unencodable reaches Kafka");
        }
    }

    @Test
    void aKeyOfAnUnknownSchemaIsDeliveredAsItsBytesNamingTheFailure() throws Exception {
        String keyed = KafkaTestBroker.createTopic("avro-keyed-unknown", 1);
        byte[] key = ByteBuffer.allocate(7).put((byte) 0).putInt(987_655).put((byte) 2).put((byte) 'x').array();
        try (TestSocket socket = socket(keyed)) {
            socket.send("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"" + keyed + "\"}");
            socket.answerTo("s");
            produce(keyed, key, "{\"plain\":true}".getBytes(StandardCharsets.UTF_8));
            JsonNode event = socket.next(frame -> frame.path("type").asText().equals("event"));
            assertEquals(987_655, event.path("keySchema").path("id").asInt(), event.toString());
            assertEquals("unknown_schema", event.path("keySchema").path("error").asText());
            assertEquals("base64", event.path("keyEncoding").asText());
            assertEquals(Base64.getEncoder().encodeToString(key), event.get("key").asText());
            assertEquals("{\"plain\":true}", event.get("data").toString(), "a value not in the wire format");
        }
    }

    /** The Java client hands the application the schemas an event names, and why one could not be decoded. */
    @Test
    void theJavaClientReadsTheSchemasAnEventNames() throws Exception {
        String keyed = KafkaTestBroker.createTopic("avro-keyed-java", 1);
        int valueId = registry.register(keyed + "-value", "AVRO", ORDER);
        byte[] key = ByteBuffer.allocate(7).put((byte) 0).putInt(987_656).put((byte) 2).put((byte) 'x').array();
        PasserelleClient client = PasserelleClient.builder(gateway.ws().toString())
                .token(TestTokens.token("shopper", List.of(keyed), List.of(keyed))).build();
        try {
            CompletableFuture<Event> received = new CompletableFuture<>();
            client.subscribe(keyed, received::complete).get(20, TimeUnit.SECONDS);
            produce(keyed, key, ConfluentAvro.encode(valueId, order("o-9", 3.5, "EUR", null)));

            Event event = received.get(20, TimeUnit.SECONDS);
            assertEquals(valueId, event.schema().id(), event.toString());
            assertNull(event.schema().error());
            assertEquals("{\"id\":\"o-9\",\"amount\":3.5,\"currency\":\"EUR\",\"note\":null}",
                    event.dataJson());
            assertEquals(987_656, event.keySchema().id());
            assertEquals("unknown_schema", event.keySchema().error());
            assertEquals("base64", event.keyEncoding());
            assertEquals(Base64.getEncoder().encodeToString(key), event.key());
        } finally {
            client.close();
        }
    }

    /** Publishes the data, expects its ack, and returns the value Kafka holds at the acked offset. */
    private static byte[] acked(TestSocket socket, String channel, String data) {
        return ackedRecord(socket, channel, null, data).value();
    }

    /** Publishes the key (or none) and the data, expects the ack, and returns the record Kafka holds. */
    private static ConsumerRecord<byte[], byte[]> ackedRecord(TestSocket socket, String channel, String key,
            String data) {
        socket.send("{\"type\":\"publish\",\"id\":\"p\",\"channel\":\"" + channel + "\""
                + (key == null ? "" : ",\"key\":" + quoted(key)) + ",\"data\":" + data + "}");
        JsonNode ack = socket.answerTo("p");
        assertEquals("ack", ack.get("type").asText(), ack.toString());
        long offset = ack.get("offset").asLong();
        return KafkaTestBroker.readAll(channel, Integer.MAX_VALUE, Duration.ofSeconds(3)).stream()
                .filter(r -> r.offset() == offset).findFirst().orElseThrow();
    }

    private static String quoted(String text) {
        return TextNode.valueOf(text).toString();
    }

    private static void produce(String topic, byte[] value) throws Exception {
        produce(topic, null, value);
    }

    private static void produce(String topic, byte[] key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }
}
