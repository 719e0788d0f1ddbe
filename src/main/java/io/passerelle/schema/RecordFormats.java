package io.passerelle.schema;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.auth.TopicPattern;

/**
 * What the values of a topic are: for the topics configured as schema'd, Avro, Protobuf or JSON Schema in the
 * Confluent wire format (a zero byte, the schema id in four bytes, the serializer's payload), turned into JSON for
 * sockets and from JSON for publishes with the subject's schema (TopicNameStrategy: {@code <topic>-value}; its
 * latest version or the one configured). Every other topic's values pass as they are.
 */
@ApplicationScoped
public class RecordFormats {

    /** A value decoded for a socket: its JSON, or the reason it could not be, and the id of its writer schema. */
    public record Decoded(byte[] json, int schemaId, String error) {
    }

    private static final byte MAGIC = 0;
    private static final int HEADER = 5;

    private final List<TopicPattern> valueTopics;
    private final SchemaRegistry registry;
    private final ObjectMapper json;
    private final Map<String, Integer> versions;

    public RecordFormats(SchemasConfig config, ObjectMapper json) {
        this.json = json;
        this.versions = config.versions();
        this.valueTopics = config.valueTopics().orElse(List.of()).stream().map(TopicPattern::of).toList();
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
        if (registry == null) {
            return false;
        }
        for (TopicPattern pattern : valueTopics) {
            if (pattern.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value of a schema'd topic's record as JSON, or null when the topic is not schema'd or the value is not in
     * the wire format. Blocks, within the registry timeout, only the first time a schema id is seen: for readers.
     */
    public Decoded decode(String topic, byte[] value) {
        if (value == null || value.length < HEADER || value[0] != MAGIC || !isSchemaTopic(topic)) {
            return null;
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        try {
            WriterSchema schema = registry.byId(id).get(registry.timeout().toMillis() + 100, TimeUnit.MILLISECONDS);
            return new Decoded(schema.usable().toJson(value, HEADER), id, null);
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

    /**
     * A publish's JSON {@code data} encoded for a schema'd topic with its subject's schema; fails with a
     * {@link SchemaException} naming the field that does not fit, or the registry's failure. Never blocks.
     */
    public CompletionStage<byte[]> encode(String topic, byte[] data) {
        String subject = topic + "-value";
        return registry.forPublish(subject, versions.get(subject)).thenApply(schema -> {
            SchemaCodec codec = schema.usable();
            JsonNode tree;
            try {
                tree = json.readTree(data);
            } catch (Exception e) {
                throw new SchemaException(SchemaException.Kind.MISMATCH, "data must be JSON for a schema'd topic");
            }
            byte[] header = ByteBuffer.allocate(HEADER).put(MAGIC).putInt(schema.id()).array();
            return codec.fromJson(data, tree, header);
        });
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
