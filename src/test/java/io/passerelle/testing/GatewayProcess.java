package io.passerelle.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Another gateway replica: the packaged application started as a process of its own, against the shared test
 * broker and the test token key. Stopped by its PID.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Path RUNNER = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private final HttpClient tlsClient;

    private final Map<String, String> extraConfig;
    private final List<String> jvmOptions;

    private GatewayProcess(Process process, int port, Path log, HttpClient tlsClient, Map<String, String> extraConfig,
            List<String> jvmOptions) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.tlsClient = tlsClient;
        this.extraConfig = extraConfig;
        this.jvmOptions = jvmOptions;
    }

    public static GatewayProcess start(Map<String, String> extraConfig) throws IOException {
        return start(extraConfig, null);
    }

    /**
     * Starts a replica whose readiness is probed with the given client and URL scheme; with TLS the test's client
     * trusts the test's certificate.
     */
    public static GatewayProcess start(Map<String, String> extraConfig, HttpClient tlsClient) throws IOException {
        return start(extraConfig, tlsClient, List.of());
    }

    /** Starts a replica with JVM options of its own (ignored by a native executable). */
    public static GatewayProcess start(Map<String, String> extraConfig, HttpClient tlsClient, List<String> jvmOptions)
            throws IOException {
        return start(extraConfig, tlsClient, jvmOptions, Ports.free());
    }

    /** A new replica with this one's configuration on this one's port, once this one has stopped. */
    public GatewayProcess restart() throws IOException {
        close();
        return start(extraConfig, tlsClient, jvmOptions, port);
    }

    private static GatewayProcess start(Map<String, String> extraConfig, HttpClient tlsClient,
            List<String> jvmOptions, int port) throws IOException {
        Path log = Files.createTempFile("passerelle-replica", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        Map<String, String> config = new java.util.TreeMap<>(Map.of(
                "quarkus.http.port", Integer.toString(tlsClient == null ? port : Ports.free()),
                "quarkus.http.ssl-port", Integer.toString(port),
                "mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toUri().toString(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER,
                "mp.jwt.verify.audiences", TestTokens.AUDIENCE));
        if (!extraConfig.containsKey("kafka.bootstrap.servers")) {
            config.put("kafka.bootstrap.servers", KafkaTestBroker.bootstrapServers());
        }
        config.putAll(extraConfig);
        command.addAll(jvmOptions);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        String nativeImage = System.getProperty("native.image.path");
        if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
            command.removeAll(jvmOptions);
            command.set(0, nativeImage); // the native executable takes the same -D options
        } else {
            command.addAll(List.of("-jar", RUNNER.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GatewayProcess gateway = new GatewayProcess(process, port, log, tlsClient, extraConfig, jvmOptions);
        gateway.awaitReady();
        return gateway;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public URI http(String path) {
        return URI.create((tlsClient == null ? "http" : "https") + "://127.0.0.1:" + port + path);
    }

    public URI ws() {
        return URI.create((tlsClient == null ? "ws" : "wss") + "://127.0.0.1:" + port + "/ws");
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public int readinessStatus() {
        try {
            HttpClient client = tlsClient == null ? HttpClient.newHttpClient() : tlsClient;
            return client.send(HttpRequest.newBuilder(http("/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the replica exited: " + log());
            }
            if (readinessStatus() == 200) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("the replica did not become ready: " + log());
    }

    /** Stops the replica with SIGTERM and waits for it; SIGKILL if it does not exit in time. */
    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(30));
    }

}
