package io.passerelle.schema;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Topics whose values or keys are written with a schema registry, in the Confluent wire format.
 */
@ConfigMapping(prefix = "passerelle.schemas")
public interface SchemasConfig {

    /**
     * The registry's Confluent-compatible API, e.g. {@code http://registry:8080/apis/ccompat/v7} (Apicurio) or
     * {@code http://schema-registry:8081} (Confluent). Without it no topic is schema'd.
     */
    Optional<String> registryUrl();

    /** Topic patterns ({@code *} matches any run of characters) whose values are schema'd. */
    Optional<List<String>> valueTopics();

    /**
     * Topic patterns whose keys are schema'd (subject {@code <topic>-key}): subscriptions filter on, and sockets read,
     * the decoded key.
     */
    Optional<List<String>> keyTopics();

    /** How long a registry request may take before the record or publish is answered as unavailable. */
    @WithDefault("2s")
    Duration timeout();

    /**
     * Writer schemas kept by id, and subjects' schemas kept for publishes; the least recently used are forgotten
     * beyond it.
     */
    @WithDefault("1000")
    int cacheSize();

    /**
     * Versions to publish with, by subject ({@code passerelle.schemas.versions."orders-value"=3}); a subject not
     * named here publishes with its latest version.
     */
    Map<String, Integer> versions();

    /**
     * The Protobuf message publishes are written as, by subject and by its full name
     * ({@code passerelle.schemas.messages."orders-value"=shop.OrderPlaced}, a nested one {@code shop.Order.Line}); a
     * subject not named here publishes as its file's first message.
     */
    Map<String, String> messages();

    /** How long the latest schema of a subject, used to encode publishes, is kept before it is asked again. */
    @WithDefault("30s")
    Duration latestRefresh();
}
