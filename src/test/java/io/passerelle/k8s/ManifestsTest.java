package io.passerelle.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Parses every manifest with the Kubernetes model (fabric8) and checks it against the application: ports, probe
 * paths, configuration keys, the drain budget.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");

    private static Map<String, HasMetadata> base() throws IOException {
        Map<String, HasMetadata> resources = new HashMap<>();
        for (Object file : kustomization(K8S.resolve("base")).get("resources").stream().toList()) {
            try (InputStream in = Files.newInputStream(K8S.resolve("base").resolve((String) file))) {
                HasMetadata resource = Serialization.unmarshal(in);
                assertNotNull(resource.getMetadata().getName(), file + " has a name");
                resources.put(resource.getKind(), resource);
            }
        }
        return resources;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Object>> kustomization(Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(dir.resolve("kustomization.yaml"))) {
            Map<String, Object> yaml = Serialization.unmarshal(in, Map.class);
            Map<String, List<Object>> lists = new HashMap<>();
            yaml.forEach((key, value) -> {
                if (value instanceof List<?> list) {
                    lists.put(key, new ArrayList<>(list));
                }
            });
            return lists;
        }
    }

    @Test
    void everyBaseResourceParsesWithItsKubernetesType() throws IOException {
        Map<String, HasMetadata> resources = base();
        assertTrue(resources.get("Deployment") instanceof Deployment);
        assertTrue(resources.get("Service") instanceof Service);
        assertTrue(resources.get("HorizontalPodAutoscaler") instanceof HorizontalPodAutoscaler);
        assertTrue(resources.get("PodDisruptionBudget") instanceof PodDisruptionBudget);
        assertTrue(resources.get("ConfigMap") instanceof ConfigMap);
        assertTrue(resources.get("Secret") instanceof Secret);
        assertTrue(resources.get("NetworkPolicy") instanceof NetworkPolicy);
        assertTrue(resources.get("ServiceMonitor") instanceof ServiceMonitor);
        for (HasMetadata resource : resources.values()) {
            Map<String, Object> unknown = additionalProperties(resource);
            assertTrue(unknown == null || unknown.isEmpty(), resource.getKind() + " has no unknown fields: " + unknown);
        }
    }

    @Test
    void portsProbesAndDrainMatchTheApplication() throws IOException {
        Map<String, HasMetadata> resources = base();
        Deployment deployment = (Deployment) resources.get("Deployment");
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(8080, container.getPorts().get(0).getContainerPort(), "quarkus.http.port");
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/started", container.getStartupProbe().getHttpGet().getPath());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());

        Properties config = new Properties();
        config.load(new StringReader(((ConfigMap) resources.get("ConfigMap")).getData().get("application.properties")));
        long budget = container.getLifecycle().getPreStop().getSleep().getSeconds()
                + seconds(config.getProperty("quarkus.shutdown.delay"))
                + seconds(config.getProperty("passerelle.drain.timeout"));
        assertTrue(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds() > budget,
                "terminationGracePeriodSeconds covers preStop + shutdown delay + drain: " + budget);

        Service service = (Service) resources.get("Service");
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        ServiceMonitor monitor = (ServiceMonitor) resources.get("ServiceMonitor");
        assertEquals("/q/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
        assertEquals("http", monitor.getSpec().getEndpoints().get(0).getPort());
        HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) resources.get("HorizontalPodAutoscaler");
        assertEquals("autoscaling/v2", hpa.getApiVersion());
        assertTrue(hpa.getSpec().getMetrics().stream().anyMatch(m -> m.getPods() != null
                && "passerelle_connections_open".equals(m.getPods().getMetric().getName())));
        assertTrue(hpa.getSpec().getMetrics().stream().anyMatch(m -> m.getResource() != null
                && "cpu".equals(m.getResource().getName())));
        assertEquals(8080, ((NetworkPolicy) resources.get("NetworkPolicy")).getSpec().getIngress().get(0)
                .getPorts().get(0).getPort().getIntVal());
    }

    @Test
    void everyConfiguredKeyIsAKeyOfTheApplication() throws IOException {
        String documented = Files.readString(Path.of("docs/configuration.md"));
        ConfigMap configMap = (ConfigMap) base().get("ConfigMap");
        Properties config = new Properties();
        config.load(new StringReader(configMap.getData().get("application.properties")));
        for (String key : config.stringPropertyNames()) {
            assertTrue(documented.contains("`" + key + "`"), key + " is a documented key of the application");
        }
        Secret secret = (Secret) base().get("Secret");
        for (String key : secret.getStringData().keySet()) {
            if (key.equals(key.toUpperCase())) {
                String property = key.toLowerCase().replace('_', '.');
                assertTrue(documented.contains("`" + property + "`"), property + " (from " + key + ")");
            }
        }
    }

    @Test
    void overlaysPointAtTheBaseAndTheirPatchesParse() throws IOException {
        for (String overlay : List.of("jvm", "native")) {
            Path dir = K8S.resolve("overlays").resolve(overlay);
            Map<String, List<Object>> kustomization = kustomization(dir);
            assertEquals(List.of("../../base"), kustomization.get("resources"));
            assertFalse(kustomization.get("images").isEmpty());
            for (Object patch : kustomization.getOrDefault("patches", List.of())) {
                String path = (String) ((Map<?, ?>) patch).get("path");
                try (InputStream in = Files.newInputStream(dir.resolve(path))) {
                    assertTrue(Serialization.unmarshal(in) instanceof Deployment, path);
                }
            }
        }
        try (Stream<Path> files = Files.list(K8S.resolve("grafana"))) {
            for (Path dashboard : files.toList()) {
                Map<?, ?> json = Serialization.unmarshal(Files.readString(dashboard), Map.class);
                assertFalse(((List<?>) json.get("panels")).isEmpty(), dashboard.toString());
            }
        }
    }

    /** Fields the model did not recognise (misspelt keys land here instead of failing the parse). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> additionalProperties(Object resource) {
        try {
            return (Map<String, Object>) resource.getClass().getMethod("getAdditionalProperties").invoke(resource);
        } catch (ReflectiveOperationException e) {
            return Map.of();
        }
    }

    private static long seconds(String duration) {
        return Long.parseLong(duration.replace("s", ""));
    }
}
