package io.passerelle.testing;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (KRaft, single node, loopback) in a process of its own, so that a test can stop it and start
 * it again on the same ports and data, as a broker restart in production would.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final Path properties;
    private Process process;

    private final String classpath;

    private KafkaBrokerProcess(Path directory, int port, Path properties, String classpath) {
        this.directory = directory;
        this.port = port;
        this.properties = properties;
        this.classpath = classpath;
    }

    /** A broker run from this JVM's classpath, which holds Kafka's broker in the tests. */
    public static KafkaBrokerProcess start() throws Exception {
        return start(System.getProperty("java.class.path"));
    }

    /** A broker run from the given classpath (such as target/dev-kafka/lib/*). */
    public static KafkaBrokerProcess start(String classpath) throws Exception {
        return start(classpath, Map.of(), List.of(), List.of());
    }

    /**
     * A broker from this JVM's classpath with more listeners ({@code NAME -> port}, each mapped to the security
     * protocol of its name), more broker properties and more arguments for the storage format (such as SCRAM
     * credentials). The PLAINTEXT listener stays, for the broker itself and for the test's own clients.
     */
    public static KafkaBrokerProcess startWith(Map<String, Integer> extraListeners, List<String> extraProperties,
            List<String> formatArguments) throws Exception {
        return start(System.getProperty("java.class.path"), extraListeners, extraProperties, formatArguments);
    }

    private static KafkaBrokerProcess start(String classpath, Map<String, Integer> extraListeners,
            List<String> extraProperties, List<String> formatArguments) throws Exception {
        Path directory = Files.createTempDirectory("passerelle-broker");
        int port = Ports.free();
        int controllerPort = Ports.free();
        Path properties = directory.resolve("server.properties");
        StringBuilder listeners = new StringBuilder();
        StringBuilder protocols = new StringBuilder();
        extraListeners.forEach((name, listenerPort) -> {
            listeners.append(',').append(name).append("://127.0.0.1:").append(listenerPort);
            protocols.append(',').append(name).append(':').append(name);
        });
        List<String> lines = new java.util.ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + listeners,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                        + listeners,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + protocols,
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false"));
        lines.addAll(extraProperties);
        Files.writeString(properties, String.join("\n", lines) + "\n");
        KafkaBrokerProcess broker = new KafkaBrokerProcess(directory, port, properties, classpath);
        List<String> format = new java.util.ArrayList<>(List.of("format", "--standalone", "-t",
                Uuid.randomUuid().toString(), "-c", properties.toString()));
        format.addAll(formatArguments);
        Process formatting = broker.java("kafka.tools.StorageTool", format.toArray(String[]::new)).start();
        if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
            throw new IllegalStateException("could not format the broker's storage");
        }
        broker.startProcess();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the broker (SIGTERM, then SIGKILL) and waits until its port is closed. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the broker again, on the same ports and data. */
    public void restart() throws Exception {
        startProcess();
    }

    /** Stops the broker and deletes its directory: a benchmark's broker writes gigabytes. */
    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void startProcess() throws IOException, InterruptedException {
        process = java("kafka.Kafka", properties.toString()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited; see " + directory.resolve("broker.log"));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the broker did not open its port");
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("broker.log").toFile()));
    }

}
