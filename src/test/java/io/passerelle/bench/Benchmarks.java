package io.passerelle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.passerelle.testing.GatewayProcess;
import io.passerelle.testing.KafkaBrokerProcess;
import io.passerelle.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The benchmark harness: starts a Kafka broker and the packaged gateway as processes of their own, drives them with
 * a Vert.x WebSocket client, measures Kafka's own tools on the same broker in the same run, and prints a table
 * (also written with charts to target/bench/). {@code ./bench/run.sh} runs it; {@code --smoke} runs every scenario
 * for a few seconds so that the test suite keeps it working. No number here is asserted.
 * <p>
 * Options for profiling: {@code --only=publish,fanout,latency,idle} runs those scenarios,
 * {@code --fanout-sizes=10,100,1000} sets the numbers of sockets fan-out is measured with,
 * {@code --gateway-jvm=<option>} (once per option) starts the gateway with that JVM option (for example a JFR
 * recording), and
 * {@code --histogram} prints the classes that grew most on the heap while the idle connections were held.
 */
public final class Benchmarks {

    private static final String DATA = "\"" + "x".repeat(198) + "\""; // 200 bytes of JSON
    private static final Path OUT = Path.of("target/bench");
    /** The second letter of a frame's type, which tells event (v), subscribed (u) and error (r) apart. */
    private static final int TYPE_SECOND_LETTER = 10;
    private static final List<String> ALL_SCENARIOS = List.of("publish", "fanout", "latency", "idle");

    private final boolean smoke;
    private final Set<String> scenarios;
    private final List<String> gatewayJvmOptions;
    private final boolean histogram;
    private final List<String> arguments;
    private final Path kafkaTools;
    private final Vertx vertx = Vertx.vertx();
    private final Map<String, String[]> rows = new LinkedHashMap<>();
    private KafkaBrokerProcess broker;
    private GatewayProcess gateway;

    private Benchmarks(List<String> args) {
        this.arguments = args;
        this.smoke = args.contains("--smoke");
        this.histogram = args.contains("--histogram");
        this.scenarios = new HashSet<>(List.of(option(args, "--only=", String.join(",", ALL_SCENARIOS)).split(",")));
        // A fixed, pre-touched heap, as in production: RSS then grows only by what connections hold outside it.
        List<String> jvm = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"));
        args.stream().filter(a -> a.startsWith("--gateway-jvm=")).map(a -> a.substring("--gateway-jvm=".length()))
                .forEach(jvm::add);
        this.gatewayJvmOptions = jvm;
        this.kafkaTools = Path.of(System.getProperty("kafka.tools", "target/dev-kafka/lib"));
    }

    private static String option(List<String> args, String prefix, String otherwise) {
        return args.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst()
                .orElse(otherwise);
    }

    public static void main(String[] args) throws Exception {
        new Benchmarks(Arrays.asList(args)).run();
        System.exit(0);
    }

    /** The smoke run, for the test suite: every scenario for a few seconds. */
    static void runSmoke() throws Exception {
        new Benchmarks(List.of("--smoke")).run();
    }

    void run() throws Exception {
        Files.createDirectories(OUT);
        // Kafka's own jars when they are there (./bench/run.sh fetches them), else this JVM's classpath.
        broker = Files.isDirectory(kafkaTools)
                ? KafkaBrokerProcess.start(kafkaTools.toAbsolutePath() + "/*")
                : KafkaBrokerProcess.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("bench-publish", 3, (short) 1),
                    new NewTopic("bench-fanout", 1, (short) 1), new NewTopic("bench-latency", 1, (short) 1),
                    new NewTopic("bench-kafka", 3, (short) 1), new NewTopic("bench-kafka-e2e", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        gateway = GatewayProcess.start(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "passerelle.limits.publish-rate", "1000000",
                "passerelle.limits.publish-burst", "1000000",
                "passerelle.limits.max-connections-per-user", "100000",
                "passerelle.limits.max-connections", "100000",
                "quarkus.log.level", "WARN"), null, gatewayJvmOptions);
        try {
            if (scenarios.contains("publish")) {
                publishThroughput();
            }
            if (scenarios.contains("fanout")) {
                fanOut();
            }
            if (scenarios.contains("latency")) {
                latency();
            }
            if (scenarios.contains("idle")) {
                idleConnections();
            }
        } finally {
            gateway.close();
            broker.close();
            vertx.close();
        }
        report();
    }

    // --- 1. publish ------------------------------------------------------------------------------------------

    private void publishThroughput() throws Exception {
        int connections = smoke ? 4 : 32;
        Duration duration = Duration.ofSeconds(smoke ? 3 : 20);
        List<WebSocket> sockets = connect(connections, "publisher");
        double gatewayRate = publishLoad(sockets, duration, "{\"type\":\"ack\"");
        closeAll(sockets);
        double ceiling = requestResponseCeiling(connections, duration);
        double kafkaRate = hasKafkaTools() ? producerPerformance(smoke ? 50_000 : 2_000_000) : 0;
        rows.put("Publish, acked/s (200 B, acks=all)", new String[]{fmt(gatewayRate),
                "ProducerPerformance " + fmt(kafkaRate), ratio(gatewayRate, kafkaRate), "≥ 0.5"});
        // Each publish costs at least one request/response exchange plus one Kafka write, on the same cores: the
        // ratio cannot exceed E / (E + P), with E the exchange ceiling and P Kafka's own rate.
        rows.put("Publish bound from the machine: request/response ceiling E, E / (E + P)", new String[]{"",
                "WebSocket request/response ceiling " + fmt(ceiling),
                kafkaRate > 0 ? String.format(Locale.ROOT, "≤ %.2f", ceiling / (ceiling + kafkaRate)) : "", ""});
    }

    /**
     * Publishes 200-byte records from every socket, at most 64 unanswered each, for the duration; returns the
     * answers per second that start with {@code answerPrefix}.
     */
    private static double publishLoad(List<WebSocket> sockets, Duration duration, String answerPrefix)
            throws InterruptedException {
        int window = 64;
        AtomicLong answered = new AtomicLong();
        CountDownLatch done = new CountDownLatch(sockets.size());
        long deadline = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        for (WebSocket socket : sockets) {
            Semaphore permits = new Semaphore(window);
            AtomicLong ids = new AtomicLong();
            socket.textMessageHandler(text -> {
                if (text.startsWith(answerPrefix)) {
                    answered.incrementAndGet();
                }
                permits.release();
            });
            new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            socket.writeTextMessage("{\"type\":\"publish\",\"id\":\"" + ids.incrementAndGet()
                                    + "\",\"channel\":\"bench-publish\",\"data\":" + DATA + "}");
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                done.countDown();
            }, "publisher").start();
        }
        done.await();
        Thread.sleep(1000); // the last answers
        return answered.get() / ((System.nanoTime() - start) / 1e9 - 1);
    }

    /** The same client and frames against a server that answers each with an ack-sized frame and does nothing else. */
    private double requestResponseCeiling(int connections, Duration duration) throws Exception {
        String ack = "{\"type\":\"ack\",\"id\":\"100000\",\"channel\":\"bench-publish\",\"partition\":2,"
                + "\"offset\":1000000}";
        HttpServer server = vertx.createHttpServer()
                .webSocketHandler(peer -> peer.textMessageHandler(text -> peer.writeTextMessage(ack)));
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
        List<WebSocket> sockets = connectPlain(client, port, connections);
        double rate = publishLoad(sockets, duration, "{\"type\":\"ack\"");
        closeAll(sockets);
        client.close();
        server.close();
        return rate;
    }

    private double producerPerformance(int records) throws Exception {
        String output = kafkaTool("org.apache.kafka.tools.ProducerPerformance", "--topic", "bench-kafka",
                "--num-records", Integer.toString(records), "--record-size", "200", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + broker.bootstrapServers(), "acks=all");
        Matcher matcher = Pattern.compile("records sent, ([0-9.]+) records/sec").matcher(output);
        double rate = 0;
        while (matcher.find()) {
            rate = Double.parseDouble(matcher.group(1));
        }
        return rate;
    }

    // --- 2. fan-out ------------------------------------------------------------------------------------------

    private void fanOut() throws Exception {
        int[] sizes = Arrays.stream(option(arguments, "--fanout-sizes=", smoke ? "5" : "10,100,1000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Map<Integer, double[]> byConnections = new LinkedHashMap<>();
        for (int size : sizes) {
            double ceiling = echoCeiling(size);
            double gatewayRate = gatewayFanOut(size, ceiling);
            byConnections.put(size, new double[]{gatewayRate, ceiling});
            rows.put("Fan-out to " + size + " sockets, frames/s", new String[]{fmt(gatewayRate),
                    "WebSocket broadcast ceiling " + fmt(ceiling), ratio(gatewayRate, ceiling),
                    size == sizes[sizes.length - 1] ? "≥ 0.6" : ""});
        }
        Charts.throughput(byConnections, OUT.resolve("fanout.png"));
    }

    /**
     * The highest delivery rate the gateway sustains to {@code size} sockets: records are produced at a set rate,
     * and a rate counts only if every socket kept up (none closed as a slow consumer, at least 95% of the frames
     * delivered by the end of the trial). The rate is found by bisection below the echo ceiling: a gateway fed
     * faster than its clients read closes the slowest of them, by design, so an unpaced producer would measure
     * that policy rather than the throughput.
     */
    private double gatewayFanOut(int size, double ceiling) throws Exception {
        double low = 0;
        double high = ceiling / size;
        double best = 0;
        int trials = smoke ? 1 : 6;
        for (int trial = 0; trial < trials; trial++) {
            double recordsPerSecond = smoke ? high / 8 : (low + high) / 2;
            double delivered = fanOutTrial(size, recordsPerSecond);
            if (delivered > 0) {
                best = Math.max(best, delivered);
                low = recordsPerSecond;
            } else {
                high = recordsPerSecond;
            }
        }
        return best;
    }

    /** Frames per second delivered at the given record rate, or 0 if a socket fell behind. */
    private double fanOutTrial(int size, double recordsPerSecond) throws Exception {
        List<WebSocket> sockets = connect(size, "fan");
        AtomicLong frames = new AtomicLong();
        List<CompletableFuture<Void>> subscribed = new ArrayList<>();
        for (WebSocket socket : sockets) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            subscribed.add(ready);
            // Frames are counted undecoded, as in the ceiling: the client does the least work it can.
            socket.frameHandler(frame -> {
                byte letter = frame.binaryData().getByte(TYPE_SECOND_LETTER);
                if (letter == 'v') {
                    frames.incrementAndGet();
                } else if (letter == 'u') {
                    ready.complete(null);
                }
            });
            socket.writeTextMessage("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"bench-fanout\"}");
        }
        CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        double slowBefore = gatewayMetric("passerelle_connections_slow_consumer_total");
        Duration duration = Duration.ofSeconds(smoke ? 2 : 5);
        long sent = 0;
        try (KafkaProducer<String, String> producer = producer()) {
            long start = System.nanoTime();
            long elapsed;
            while ((elapsed = System.nanoTime() - start) < duration.toNanos()) {
                long due = (long) (elapsed / 1e9 * recordsPerSecond);
                for (; sent < due; sent++) {
                    producer.send(new ProducerRecord<>("bench-fanout", null, DATA));
                }
                Thread.sleep(1);
            }
        }
        Thread.sleep(1000); // the frames still on their way
        long received = frames.get();
        closeAll(sockets);
        double dropped = gatewayMetric("passerelle_connections_slow_consumer_total") - slowBefore;
        boolean keptUp = dropped == 0 && received >= 0.95 * sent * size;
        double rate = received / (double) duration.toSeconds();
        System.out.printf(Locale.ROOT, "Fan-out to %d sockets at %,.0f records/s: %,.0f frames/s, %s%n", size,
                recordsPerSecond, rate, keptUp ? "kept up" : "fell behind (" + (long) dropped + " closed)");
        return keptUp ? rate : 0;
    }

    /** The same client, the same frames, from a server that does nothing but send them. */
    private double echoCeiling(int size) throws Exception {
        String frame = "{\"type\":\"event\",\"channel\":\"bench-fanout\",\"partition\":0,\"offset\":1,"
                + "\"headers\":{},\"timestamp\":1,\"data\":" + DATA + "}";
        ConcurrentLinkedQueue<io.vertx.core.http.ServerWebSocket> peers = new ConcurrentLinkedQueue<>();
        HttpServer server = vertx.createHttpServer().webSocketHandler(peers::add);
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
        AtomicLong frames = new AtomicLong();
        List<WebSocket> sockets = connectPlain(client, port, size);
        sockets.forEach(socket -> socket.frameHandler(received -> frames.incrementAndGet()));
        while (peers.size() < size) {
            Thread.sleep(10);
        }
        Duration duration = Duration.ofSeconds(smoke ? 3 : 15);
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (io.vertx.core.http.ServerWebSocket peer : peers) {
            // Each peer is fed on its own event loop, as fast as its write queue drains: the ceiling.
            vertx.runOnContext(ignored -> feed(peer, frame, deadline));
        }
        Thread.sleep(duration.toMillis());
        double rate = frames.get() / ((System.nanoTime() - start) / 1e9);
        sockets.forEach(WebSocket::close);
        client.close();
        server.close();
        return rate;
    }

    private static void feed(io.vertx.core.http.ServerWebSocket peer, String frame, long deadline) {
        if (peer.isClosed()) {
            return;
        }
        while (!peer.writeQueueFull() && System.nanoTime() < deadline) {
            peer.writeTextMessage(frame);
        }
        if (System.nanoTime() < deadline) {
            peer.drainHandler(ignored -> feed(peer, frame, deadline));
        }
    }

    // --- 3. latency ------------------------------------------------------------------------------------------

    private void latency() throws Exception {
        int rate = 1000;
        Duration duration = Duration.ofSeconds(smoke ? 3 : 30);
        List<WebSocket> sockets = connect(2, "latency");
        WebSocket publisher = sockets.get(0);
        WebSocket subscriber = sockets.get(1);
        ConcurrentLinkedQueue<Long> samples = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Pattern sentAt = Pattern.compile("\"t\":([0-9]+)");
        subscriber.textMessageHandler(text -> {
            if (text.startsWith("{\"type\":\"event\"")) {
                Matcher matcher = sentAt.matcher(text);
                if (matcher.find()) {
                    samples.add(System.nanoTime() - Long.parseLong(matcher.group(1)));
                }
            } else if (text.startsWith("{\"type\":\"subscribed\"")) {
                ready.complete(null);
            }
        });
        publisher.textMessageHandler(text -> {
        });
        subscriber.writeTextMessage("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"bench-latency\"}");
        ready.get(30, TimeUnit.SECONDS);
        long start = System.nanoTime();
        long sent = 0;
        String pad = "x".repeat(160);
        while (System.nanoTime() - start < duration.toNanos()) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            while (sent < due) {
                publisher.writeTextMessage("{\"type\":\"publish\",\"id\":\"" + sent
                        + "\",\"channel\":\"bench-latency\",\"data\":{\"t\":" + System.nanoTime() + ",\"p\":\"" + pad
                        + "\"}}");
                sent++;
            }
            Thread.sleep(0, 200_000);
        }
        Thread.sleep(2000);
        closeAll(sockets);
        long[] nanos = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = percentile(nanos, 50);
        double p99 = percentile(nanos, 99);
        double p999 = percentile(nanos, 99.9);
        double[] kafka = hasKafkaTools()
                ? endToEndLatency(smoke ? 2000 : 20_000)
                : new double[]{Double.NaN, Double.NaN, Double.NaN};
        rows.put("End-to-end latency p50 / p99 / p99.9 at 1,000 msg/s (ms)", new String[]{
                fmt2(p50) + " / " + fmt2(p99) + " / " + fmt2(p999),
                "EndToEndLatency " + fmt2(kafka[0]) + " / " + fmt2(kafka[1]) + " / " + fmt2(kafka[2]),
                "p99 " + fmt2(p99) + " vs " + fmt2(2 * kafka[1] + 2), "p99 ≤ 2 × Kafka's + 2 ms"});
        Charts.latency(nanos, OUT.resolve("latency.png"));
    }

    private static double percentile(long[] sortedNanos, double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(percentile / 100 * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    private double[] endToEndLatency(int messages) throws Exception {
        String output = kafkaTool("org.apache.kafka.tools.EndToEndLatency", broker.bootstrapServers(),
                "bench-kafka-e2e", Integer.toString(messages), "all", "200");
        Matcher matcher = Pattern.compile("Percentiles: 50th = ([0-9.]+), 99th = ([0-9.]+), 99.9th = ([0-9.]+)")
                .matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected EndToEndLatency output: " + output);
        }
        return new double[]{Double.parseDouble(matcher.group(1)), Double.parseDouble(matcher.group(2)),
                Double.parseDouble(matcher.group(3))};
    }

    // --- 4. idle connections ---------------------------------------------------------------------------------

    private void idleConnections() throws Exception {
        int target = smoke ? 200 : 19_000;
        // Warm up the connection path first, so that the baseline already holds the buffers and classes it uses.
        closeAll(connect(Math.min(1000, target), "warm-up"));
        // RSS is read before any forced GC on both sides: a GC may hand memory back and hide the growth.
        long rssBefore = rss();
        jcmd("GC.run");
        long heapBefore = heapUsed();
        Map<String, long[]> histogramBefore = histogram ? classHistogram() : Map.of();
        List<String> tokens = tokens(target, "idle");
        long start = System.nanoTime();
        List<WebSocket> sockets = connect(target, tokens);
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        Thread.sleep(2000);
        long rssAfter = rss();
        jcmd("GC.run");
        long heapAfter = heapUsed();
        if (histogram) {
            System.out.println("Classes holding most of the growth, per connection (bytes, instances):");
            histogramAfter(histogramBefore, target);
        }
        closeAll(sockets);
        double heapPer = (heapAfter - heapBefore) / (double) target;
        double rssPer = (rssAfter - rssBefore) / (double) target;
        rows.put("Idle authenticated connections", new String[]{fmt(target), "", "", "≥ 19,000"});
        rows.put("Connect rate with RS256 tokens, per s", new String[]{fmt(target / connectSeconds), "", "",
                "≥ 1,500"});
        rows.put("Retained heap per connection", new String[]{fmt1(heapPer / 1024) + " KB", "", "", "≤ 10 KB"});
        // The heap is committed up front, so RSS grows only by native memory; a connection's resident cost is its
        // share of the heap plus that growth.
        rows.put("RSS per connection (heap share + native growth)", new String[]{
                fmt1(heapPer / 1024) + " + " + fmt1(Math.max(0, rssPer) / 1024) + " KB", "", "", "≤ 20 KB"});
    }

    /** The value of one unlabelled metric of the gateway's, from /q/metrics. */
    private double gatewayMetric(String name) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway.port()
                        + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).orElse(0.0);
    }

    /** Class name to {instances, bytes}, from {@code jcmd GC.class_histogram}. */
    private Map<String, long[]> classHistogram() throws Exception {
        Map<String, long[]> classes = new HashMap<>();
        Matcher matcher = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE)
                .matcher(jcmd("GC.class_histogram"));
        while (matcher.find()) {
            classes.put(matcher.group(3), new long[]{Long.parseLong(matcher.group(1)),
                    Long.parseLong(matcher.group(2))});
        }
        return classes;
    }

    private void histogramAfter(Map<String, long[]> before, int connections) throws Exception {
        Map<String, long[]> after = classHistogram();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[]{
                        e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(80)
                .forEach(e -> System.out.printf(Locale.ROOT, "%8.1f %6.2f  %s%n",
                        e.getValue()[1] / (double) connections, e.getValue()[0] / (double) connections,
                        e.getKey()));
    }

    private long heapUsed() throws Exception {
        String output = jcmd("GC.heap_info");
        Matcher matcher = Pattern.compile("used ([0-9]+)K").matcher(output);
        long used = 0;
        while (matcher.find()) {
            used = Math.max(used, Long.parseLong(matcher.group(1)) * 1024);
        }
        return used;
    }

    private long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + gateway.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    private String jcmd(String command) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(gateway.pid()), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** Opens authenticated sockets, 200 handshakes in flight at most; each user has its own token. */
    private List<WebSocket> connect(int count, String userPrefix) throws Exception {
        return connect(count, tokens(count, userPrefix));
    }

    private static List<String> tokens(int count, String userPrefix) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < Math.min(count, 1000); i++) {
            tokens.add(TestTokens.token(userPrefix + "-" + i, List.of("bench-*"), List.of("bench-*")));
        }
        return tokens;
    }

    /** Opens sockets, one after the other, to a plain server of the harness's own (no authentication). */
    private static List<WebSocket> connectPlain(WebSocketClient client, int port, int count) throws Exception {
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(client.connect(port, "127.0.0.1", "/").toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
        }
        return sockets;
    }

    private List<WebSocket> connect(int count, List<String> tokens) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(100_000).setConnectTimeout(30_000));
        Semaphore inFlight = new Semaphore(200);
        List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1")
                    .setPort(gateway.port()).setURI("/ws")
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

    private static void closeAll(List<WebSocket> sockets) throws InterruptedException {
        sockets.forEach(socket -> socket.close());
        Thread.sleep(500);
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "linger.ms", "1",
                "acks", "1"), new StringSerializer(), new StringSerializer());
    }

    /** Kafka's own tools come from the jars ./bench/run.sh (and .ci/run) fetch; without them, no reference. */
    private boolean hasKafkaTools() {
        boolean present = Files.isDirectory(kafkaTools);
        if (!present) {
            System.out.println("Kafka's tools are not in " + kafkaTools + ": no Kafka reference in this run");
        }
        return present;
    }

    private String kafkaTool(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", kafkaTools.toAbsolutePath() + "/*", mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(mainClass + " failed: " + output);
        }
        return output;
    }

    private void report() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n%-58s | %-22s | %-44s | %-18s | %s%n", "measure", "gateway",
                "reference (same run)", "ratio", "goal"));
        table.append("-".repeat(160)).append('\n');
        rows.forEach((name, values) -> table.append(String.format(Locale.ROOT, "%-58s | %-22s | %-44s | %-18s | %s%n",
                name, values[0], values[1], values[2], values[3])));
        System.out.print(table);
        StringBuilder markdown = new StringBuilder("| measure | gateway | reference (same run) | ratio | goal |\n"
                + "|---|---|---|---|---|\n");
        rows.forEach((name, values) -> markdown.append("| ").append(name).append(" | ")
                .append(String.join(" | ", values)).append(" |\n"));
        Files.writeString(OUT.resolve(smoke ? "results-smoke.md" : "results.md"), markdown);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String fmt1(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String fmt2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ratio(double value, double reference) {
        return reference <= 0 ? "" : String.format(Locale.ROOT, "%.2f", value / reference);
    }
}
