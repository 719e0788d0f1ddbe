package io.passerelle.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.passerelle.kafka.InstanceId;
import io.quarkus.runtime.StartupEvent;

/**
 * One log line at start with the effective configuration that operators ask about first. It names only settings
 * that are never secret: locations, not keys; servers, not credentials.
 */
@ApplicationScoped
public class ConfigSummary {

    private static final Logger LOG = Logger.getLogger(ConfigSummary.class);

    private static final String[] KEYS = {"quarkus.http.port", "quarkus.http.ssl-port",
            "quarkus.http.insecure-requests", "quarkus.http.io-threads", "kafka.bootstrap.servers",
            "mp.jwt.verify.issuer",
            "mp.jwt.verify.audiences", "mp.jwt.verify.publickey.location", "mp.jwt.verify.publickey.algorithm",
            "passerelle.outbox.topic", "passerelle.lifecycle.topic", "passerelle.kafka.publish-timeout",
            "passerelle.limits.max-connections", "passerelle.limits.max-connections-per-user",
            "passerelle.limits.publish-rate", "passerelle.origins.allowed", "passerelle.drain.timeout"};

    void log(@Observes StartupEvent start, Config config, InstanceId instance) {
        Map<String, String> effective = new LinkedHashMap<>();
        effective.put("instance", instance.value());
        for (String key : KEYS) {
            config.getOptionalValue(key, String.class).ifPresent(value -> effective.put(key, withoutUserInfo(value)));
        }
        LOG.info("Passerelle configuration: " + effective.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
    }

    /** A URL may carry credentials (https://user:secret@host/...): they are cut out. */
    static String withoutUserInfo(String value) {
        return value.replaceAll("://[^/@\\s]+@", "://***@");
    }
}
