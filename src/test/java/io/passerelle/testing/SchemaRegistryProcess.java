package io.passerelle.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Apicurio Registry, as its own project builds it (unpacked from Maven Central by the build into
 * target/schema-registry), in a process of its own with its in-memory storage, on a Java 21 or newer runtime. Its Confluent-compatible API is what
 * the gateway and the tests speak.
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    private static final Path APP = Path.of("target/schema-registry/quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private SchemaRegistryProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static SchemaRegistryProcess start() throws Exception {
        if (!Files.isRegularFile(APP)) {
            throw new IllegalStateException(APP + " is missing: the build unpacks it at pre-integration-test");
        }
        int port = Ports.free();
        Path log = Files.createTempFile("schema-registry", ".log");
        Process process = new ProcessBuilder(List.of(JavaHomes.javaOfAtLeast(21), "-Xmx512m",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.log.level=WARN", "-jar", APP.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        SchemaRegistryProcess registry = new SchemaRegistryProcess(process, port, log);
        registry.awaitReady();
        return registry;
    }

    /** The Confluent-compatible API's base URL. */
    public String ccompatUrl() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** Registers the schema under the subject and returns its id. */
    public int register(String subject, String schemaType, String schema) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("schema", schema, "schemaType", schemaType));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects/"
                + subject + "/versions")).header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("registering " + subject + ": " + response.statusCode() + " "
                    + response.body());
        }
        return JSON.readTree(response.body()).path("id").asInt();
    }

    /** Deletes the subject (soft, then permanently). */
    public void deleteSubject(String subject) throws Exception {
        for (String query : List.of("", "?permanent=true")) {
            http.send(HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects/" + subject + query)).DELETE()
                    .build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the schema registry exited: " + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("the schema registry did not start: " + Files.readString(log));
    }

    /** Stops the registry, by its PID. */
    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(20));
    }
}
