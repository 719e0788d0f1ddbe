package io.passerelle.schema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;

import io.passerelle.auth.TopicPattern;

/**
 * What the values and keys of a topic are: for the topics configured as schema'd, Avro, Protobuf or JSON Schema in
 * the Confluent wire format (a zero byte, the schema id in four bytes, the serializer's payload), turned into JSON for
 * sockets and from JSON for publishes with the subject's schema (TopicNameStrategy: {@code <topic>-value} and
 * {@code <topic>-key}; its latest version or the one configured). Every other topic's values and keys pass as they
 * are.
 */
@ApplicationScoped
public class RecordFormats {

    /** A value decoded for a socket: its JSON, or the reason it could not be, and the id of its writer schema. */
    public record Decoded(byte[] json, int schemaId, String error) {
    }

    /** A publish's key and value as the topic holds them. */
    public record Written(byte[] key, byte[] value) {

        /** A key and value written as the client sent them: the key's UTF-8 text, the value's bytes. */
        public static Written asSent(String key, byte[] value) {
            return new Written(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        }
    }

    private static final byte MAGIC = 0;
    private static final int HEADER = 5;

    private final List<TopicPattern> valueTopics;
    private final List<TopicPattern> keyTopics;
    private final SchemaRegistry registry;
    private final ObjectMapper json;
    /** One JSON value and nothing after it, for a key's JSON text. */
    private final ObjectReader strictTree;
    private final Map<String, Integer> versions;
    private final Map<String, String> messages;

    public RecordFormats(SchemasConfig config, ObjectMapper json) {
        this.json = json;
        this.strictTree = json.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.versions = config.versions();
        this.messages = config.messages();
        this.valueTopics = config.valueTopics().orElse(List.of()).stream().map(TopicPattern::of).toList();
        this.keyTopics = config.keyTopics().orElse(List.of()).stream().map(TopicPattern::of).toList();
        this.registry = config.registryUrl().filter(url -> !url.isBlank())
                .map(url -> new SchemaRegistry(url, config.timeout(), config.cacheSize(), config.latestRefresh()))
                .orElse(null);
    }

    @PreDestroy
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    /** True when the topic's values are schema'd. */
    public boolean isSchemaTopic(String topic) {
        return registry != null && matches(valueTopics, topic);
    }

    /** True when the topic's keys are schema'd. */
    public boolean isKeySchemaTopic(String topic) {
        return registry != null && matches(keyTopics, topic);
    }

    /** True when a publish to the topic is encoded, its value or its key. */
    public boolean encodes(String topic) {
        return isSchemaTopic(topic) || isKeySchemaTopic(topic);
    }

    /**
     * The value of a schema'd topic's record as JSON, or null when the topic is not schema'd or the value is not in
     * the wire format. Blocks, within the registry timeout, only the first time a schema id is seen: for readers.
     */
    public Decoded decode(String topic, byte[] value) {
        if (!isWireFormat(value) || !isSchemaTopic(topic)) {
            return null;
        }
        return decode(value);
    }

    /**
     * The key of a record of a topic whose keys are schema'd, as the text subscriptions filter on and sockets read:
     * a string key's own text, any other key's compact JSON. Null when the topic's keys are not schema'd or the key
     * is not in the wire format. Blocks like {@link #decode(String, byte[])}.
     */
    public Decoded decodeKey(String topic, byte[] key) {
        if (!isWireFormat(key) || !isKeySchemaTopic(topic)) {
            return null;
        }
        Decoded decoded = decode(key);
        if (decoded.json() == null || decoded.json()[0] != '"') {
            return decoded;
        }
        try {
            String text = json.readValue(decoded.json(), String.class);
            return new Decoded(text.getBytes(StandardCharsets.UTF_8), decoded.schemaId(), null);
        } catch (IOException e) {
            return new Decoded(null, decoded.schemaId(), "schema_mismatch");
        }
    }

    /**
     * A publish's key and JSON {@code data} as the topic holds them: each encoded with its subject's schema where
     * the topic's keys or values are schema'd, else as sent. Fails with a {@link SchemaException} naming the field
     * that does not fit (a key's message starts with {@code key}), or the registry's failure. Never blocks.
     */
    public CompletionStage<Written> encode(String topic, String key, byte[] data) {
        CompletionStage<byte[]> value = isSchemaTopic(topic)
                ? encodeValue(topic, data)
                : CompletableFuture.completedFuture(data);
        if (key == null || !isKeySchemaTopic(topic)) {
            return value.thenApply(encoded -> Written.asSent(key, encoded));
        }
        return encodeKey(topic, key).thenCombine(value, Written::new);
    }

    private CompletionStage<byte[]> encodeValue(String topic, byte[] data) {
        String subject = topic + "-value";
        return registry.forPublish(subject, versions.get(subject)).thenApply(schema -> {
            JsonNode tree;
            try {
                tree = json.readTree(data);
            } catch (IOException e) {
                throw new SchemaException(SchemaException.Kind.MISMATCH, "data must be JSON for a schema'd topic");
            }
            return schema.usable().fromJson(data, tree, header(schema.id()), messages.get(subject));
        });
    }

    private CompletionStage<byte[]> encodeKey(String topic, String key) {
        String subject = topic + "-key";
        return registry.forPublish(subject, versions.get(subject)).thenApply(schema -> {
            SchemaCodec codec = schema.usable();
            byte[] text;
            JsonNode tree;
            if (codec.isString()) {
                tree = TextNode.valueOf(key);
                text = tree.toString().getBytes(StandardCharsets.UTF_8);
            } else {
                text = key.getBytes(StandardCharsets.UTF_8);
                try {
                    tree = strictTree.readValue(text);
                } catch (IOException e) {
                    tree = null;
                }
                if (tree == null || tree.isMissingNode()) {
                    throw new SchemaException(SchemaException.Kind.MISMATCH,
                            "key must be JSON text for the schema of " + subject);
                }
            }
            try {
                return codec.fromJson(text, tree, header(schema.id()), messages.get(subject));
            } catch (SchemaException e) {
                throw new SchemaException(e.kind(), "key: " + e.getMessage());
            }
        });
    }

    private Decoded decode(byte[] wire) {
        int id = ByteBuffer.wrap(wire, 1, 4).getInt();
        try {
            WriterSchema schema = registry.byId(id).get(registry.timeout().toMillis() + 100, TimeUnit.MILLISECONDS);
            return new Decoded(schema.usable().toJson(wire, HEADER), id, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Decoded(null, id, "schema_unavailable");
        } catch (Exception e) {
            SchemaException cause = cause(e);
            return new Decoded(null, id, cause == null ? "schema_unavailable" : switch (cause.kind()) {
                case MISMATCH -> "schema_mismatch";
                case UNKNOWN -> "unknown_schema";
                case UNAVAILABLE -> "schema_unavailable";
                case UNSUPPORTED -> "unsupported_schema";
            });
        }
    }

    private static boolean isWireFormat(byte[] bytes) {
        return bytes != null && bytes.length >= HEADER && bytes[0] == MAGIC;
    }

    private static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER).put(MAGIC).putInt(schemaId).array();
    }

    private static boolean matches(List<TopicPattern> patterns, String topic) {
        for (TopicPattern pattern : patterns) {
            if (pattern.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    /** The schema failure inside a completion's wrapping, or null. */
    public static SchemaException cause(Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof SchemaException schema) {
                return schema;
            }
            cause = cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException
                    ? cause.getCause()
                    : null;
        }
        return null;
    }

}
