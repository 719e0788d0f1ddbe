package io.passerelle.kafka;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The name of this gateway replica, stamped on what it produces: the pod name on Kubernetes, else a random one.
 */
@ApplicationScoped
public class InstanceId {

    private final String value;

    public InstanceId(@ConfigProperty(name = "passerelle.instance-id") Optional<String> configured) {
        this.value = configured.filter(s -> !s.isBlank())
                .orElseGet(() -> "gw-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String value() {
        return value;
    }
}
