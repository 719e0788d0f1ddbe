package io.passerelle.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaBrokerProcess;
import io.passerelle.testing.Metrics;
import io.passerelle.testing.ProcessProbes;
import io.passerelle.testing.SchemaRegistryProcess;
import io.passerelle.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * What every scenario drives: a Kafka broker and the packaged gateway as processes of their own, a Vert.x client,
 * and the probes that read the gateway from outside (metrics, RSS, heap through {@code jcmd}).
 */
final class BenchRig implements AutoCloseable {

    /** 200 bytes of JSON. */
    private static final byte[] EVENT = typePrefix("event");
    private static final byte[] SUBSCRIBED = typePrefix("subscribed");

    static final String DATA = "\"" + "x".repeat(198) + "\"";

    final Vertx vertx = Vertx.vertx();
    final KafkaBrokerProcess broker;
    final GatewayProcess gateway;
    final KafkaTools kafkaTools;
    /** The schema registry the gateway decodes {@link AvroScenario#TOPIC} with; null when it cannot run here. */
    final SchemaRegistryProcess registry;
    /** The gateway's configuration, for scenarios that start a second gateway like it. */
    final Map<String, String> gatewayConfig;

    private BenchRig(KafkaBrokerProcess broker, GatewayProcess gateway, KafkaTools kafkaTools,
            SchemaRegistryProcess registry, Map<String, String> gatewayConfig) {
        this.gatewayConfig = Map.copyOf(gatewayConfig);
        this.broker = broker;
        this.gateway = gateway;
        this.kafkaTools = kafkaTools;
        this.registry = registry;
    }

    static BenchRig start(BenchOptions options, KafkaTools kafkaTools) throws Exception {
        // Kafka's own jars when they are there (./bench/run.sh fetches them), else this JVM's classpath.
        KafkaBrokerProcess broker = Files.isDirectory(kafkaTools.jars())
                ? KafkaBrokerProcess.start(kafkaTools.jars().toAbsolutePath() + "/*")
                : KafkaBrokerProcess.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("bench-publish", 3, (short) 1),
                    new NewTopic("bench-fanout", 1, (short) 1), new NewTopic("bench-latency", 1, (short) 1),
                    new NewTopic(KeyedFanOutScenario.TOPIC, 3, (short) 1),
                    new NewTopic("bench-kafka", 3, (short) 1), new NewTopic("bench-kafka-e2e", 1, (short) 1),
                    new NewTopic(AvroScenario.TOPIC, 3, (short) 1),
                    new NewTopic(AvroScenario.JSON_TOPIC, 3, (short) 1),
                    new NewTopic(TracingScenario.TOPIC, 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        SchemaRegistryProcess registry = options.scenarios().contains("avro") ? AvroScenario.registry() : null;
        Map<String, String> schemas = registry == null
                ? Map.of()
                : Map.of("passerelle.schemas.registry-url", registry.ccompatUrl(),
                        "passerelle.schemas.value-topics", AvroScenario.TOPIC);
        Map<String, String> config = new HashMap<>(schemas);
        config.putAll(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "passerelle.limits.publish-rate", "1000000",
                "passerelle.limits.publish-burst", "1000000",
                "passerelle.limits.max-connections-per-user", "100000",
                "passerelle.limits.max-connections", "100000",
                "passerelle.connection.max-subscriptions", "2000",
                "quarkus.log.level", "WARN"));
        GatewayProcess gateway = GatewayProcess.start(config, null, options.gatewayJvmOptions());
        return new BenchRig(broker, gateway, kafkaTools, registry, config);
    }

    @Override
    public void close() throws Exception {
        try {
            gateway.close();
            broker.close();
            if (registry != null) {
                registry.close();
            }
        } finally {
            vertx.close();
        }
    }

    /** True when the frame is a text frame of the given {@code type}: its first bytes are {"type":"<type>". */
    static boolean isOfType(Buffer frame, byte[] typePrefix) {
        if (frame.length() < typePrefix.length) {
            return false;
        }
        for (int i = 0; i < typePrefix.length; i++) {
            if (frame.getByte(i) != typePrefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first bytes of every frame of the type. */
    static byte[] typePrefix(String type) {
        return ("{\"type\":\"" + type + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** Opens authenticated sockets, 200 handshakes in flight at most; each user has its own token. */
    List<WebSocket> connect(int count, String userPrefix) throws Exception {
        return connect(count, tokens(count, userPrefix));
    }

    static List<String> tokens(int count, String userPrefix) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < Math.min(count, 1000); i++) {
            tokens.add(TestTokens.token(userPrefix + "-" + i, List.of("bench-*"), List.of("bench-*")));
        }
        return tokens;
    }

    List<WebSocket> connect(int count, List<String> tokens) throws Exception {
        return connect(gateway, count, tokens);
    }

    /** The same, to another gateway of the run. */
    List<WebSocket> connect(GatewayProcess target, int count, List<String> tokens) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(100_000).setConnectTimeout(30_000));
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
                    .setPort(target.port()).setURI("/ws")
                    .addHeader("Authorization", "Bearer " + tokens.get(i % tokens.size()));
            CompletableFuture<WebSocket> socket = client.connect(options).toCompletionStage().toCompletableFuture();
            socket.whenComplete((ignored, failure) -> inFlight.release());
            pending.add(socket);
        }
        List<WebSocket> sockets = new ArrayList<>();
        for (CompletableFuture<WebSocket> socket : pending) {
            sockets.add(socket.get(60, TimeUnit.SECONDS));
        }
        return sockets;
    }

    /** Opens sockets, one after the other, to a plain server of the harness's own (no authentication). */
    static List<WebSocket> connectPlain(WebSocketClient client, int port, int count) throws Exception {
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(client.connect(port, "127.0.0.1", "/").toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
        }
        return sockets;
    }

    /**
     * Sends each socket its subscribes ({@code subscribes.apply(i)} for socket i), counts every event frame any of
     * them receives in {@code events}, and returns once each socket got as many {@code subscribed} answers as it sent
     * subscribes. Frames are told apart by their first bytes: the client does the least work it can.
     */
    static void subscribeAll(List<WebSocket> sockets, IntFunction<List<String>> subscribes, AtomicLong events)
            throws Exception {
        List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (int i = 0; i < sockets.size(); i++) {
            List<String> frames = subscribes.apply(i);
            CompletableFuture<Void> ready = new CompletableFuture<>();
            subscribed.add(ready);
            AtomicInteger answers = new AtomicInteger();
            sockets.get(i).frameHandler(frame -> {
                if (isOfType(frame.binaryData(), EVENT)) {
                    events.incrementAndGet();
                } else if (isOfType(frame.binaryData(), SUBSCRIBED) && answers.incrementAndGet() == frames.size()) {
                    ready.complete(null);
                }
            });
            frames.forEach(sockets.get(i)::writeTextMessage);
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    }

    /** One trial of a paced scenario: what was delivered per second at the rate, or 0 if a socket fell behind. */
    interface RateTrial {
        double deliveredPerSecond(double recordsPerSecond) throws Exception;
    }

    /**
     * The highest delivery rate a scenario sustains, by bisection below {@code high} (6 trials; the smoke run tries
     * one rate, an eighth of it). A rate counts only if every socket kept up: a gateway fed faster than its clients
     * read closes the slowest of them, by design, so an unpaced producer would measure that policy instead.
     */
    static double highestSustainedRate(BenchOptions options, double high, RateTrial trial) throws Exception {
        double low = 0;
        double best = 0;
        int trials = options.smoke() ? 1 : 6;
        for (int i = 0; i < trials; i++) {
            double recordsPerSecond = options.smoke() ? high / 8 : (low + high) / 2;
            double delivered = trial.deliveredPerSecond(recordsPerSecond);
            if (delivered > 0) {
                best = Math.max(best, delivered);
                low = recordsPerSecond;
            } else {
                high = recordsPerSecond;
            }
        }
        return best;
    }

    /** Produces {@code record.apply(n)} for n = 0, 1, … at the rate for the duration; returns how many it sent. */
    long produceAtRate(double recordsPerSecond, Duration duration,
            LongFunction<ProducerRecord<String, String>> record) throws InterruptedException {
        long sent = 0;
        try (KafkaProducer<String, String> producer = producer()) {
            long start = System.nanoTime();
            long elapsed;
            while ((elapsed = System.nanoTime() - start) < duration.toNanos()) {
                long due = (long) (elapsed / 1e9 * recordsPerSecond);
                for (; sent < due; sent++) {
                    producer.send(record.apply(sent));
                }
                Thread.sleep(1);
            }
        }
        return sent;
    }

    static void closeAll(List<WebSocket> sockets) throws InterruptedException {
        sockets.forEach(WebSocket::close);
        Thread.sleep(500);
    }

    KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", "1",
                "acks", "1"), new StringSerializer(), new StringSerializer());
    }

    /**
     * The bytes of the last record the gateway wrote to a topic's first partition that has one: its key, its value,
     * and its headers' names and values (what a producer's record carries besides Kafka's own framing).
     */
    int lastRecordBytes(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            TopicPartition written = partitions.stream().filter(partition -> ends.get(partition) > 0).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no record in " + topic));
            consumer.assign(List.of(written));
            consumer.seek(written, ends.get(written) - 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    int bytes = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                    for (Header header : record.headers()) {
                        bytes += header.key().getBytes(StandardCharsets.UTF_8).length + header.value().length;
                    }
                    return bytes;
                }
            }
            throw new IllegalStateException("the last record of " + topic + " was not read");
        }
    }

    /** The value of one of the gateway's metrics, from /q/metrics. */
    double gatewayMetric(String name) {
        return Metrics.scrape(gateway.http("/q/metrics")).value(name);
    }

    long heapUsed() throws Exception {
        return ProcessProbes.heapUsed(gateway.pid());
    }

    /** The gateway process's CPU time so far (user and system), in seconds. */
    double cpuSeconds() throws IOException {
        return ProcessCpu.seconds(gateway.pid());
    }

    /** The gateway's live threads whose name starts with the prefix, from {@code jcmd Thread.print}. */
    long threadsNamed(String prefix) throws Exception {
        return jcmd("Thread.print").lines().filter(line -> line.startsWith("\"" + prefix)).count();
    }

    /** The gateway's live threads, from /proc. */
    long threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + gateway.pid() + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    long rss() throws IOException {
        return ProcessProbes.residentBytes(gateway.pid());
    }

    /** Class name to {instances, bytes}, from {@code jcmd GC.class_histogram}. */
    Map<String, long[]> classHistogram() throws Exception {
        Map<String, long[]> classes = new HashMap<>();
        Matcher matcher = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(jcmd("GC.class_histogram"));
        while (matcher.find()) {
            classes.put(matcher.group(3), new long[]{Long.parseLong(matcher.group(1)),
                    Long.parseLong(matcher.group(2))});
        }
        return classes;
    }

    String jcmd(String command) throws Exception {
        return ProcessProbes.jcmd(gateway.pid(), command);
    }

}
