package io.passerelle.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.passerelle.testing.GatewayProcess;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;

/**
 * What tracing costs: the run's gateway (tracing off, the default) next to a second one with the OpenTelemetry SDK
 * on, exporting every span over OTLP/HTTP to a collector of the harness's own; publishes and records with a
 * client's {@code traceparent} and, for reference, without. Off, the gateway only passes the header on; on, each
 * publish and each delivered record is a span.
 */
final class TracingScenario {

    static final String TOPIC = "bench-traced";
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String HEADERS = "{\"traceparent\":\"" + TRACEPARENT + "\"}";

    private TracingScenario() {
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        AtomicLong exports = new AtomicLong();
        AtomicLong exportedBytes = new AtomicLong();
        HttpServer collector = rig.vertx.createHttpServer().requestHandler(request -> request.body()
                .onComplete(body -> {
                    exports.incrementAndGet();
                    exportedBytes.addAndGet(body.succeeded() ? body.result().length() : 0);
                    request.response().putHeader("content-type", "application/x-protobuf").end();
                }));
        int collectorPort = collector.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).actualPort();
        Map<String, String> config = new HashMap<>(rig.gatewayConfig);
        config.putAll(Map.of("quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + collectorPort,
                "quarkus.otel.bsp.schedule.delay", "200ms"));
        try (GatewayProcess tracing = GatewayProcess.start(config, null, options.gatewayJvmOptions())) {
            measure(rig, options, report, tracing, exports, exportedBytes);
        } finally {
            collector.close();
        }
    }

    /** One measured configuration: which gateway, and whether publishes and records carry a traceparent. */
    private record Case(String name, GatewayProcess gateway, boolean traced) {
    }

    private static void measure(BenchRig rig, BenchOptions options, Report report, GatewayProcess tracing,
            AtomicLong exports, AtomicLong exportedBytes) throws Exception {
        Duration warmUp = Duration.ofSeconds(options.seconds(1, 5));
        Duration duration = Duration.ofSeconds(options.seconds(2, 15));
        List<Case> cases = List.of(new Case("tracing off, no traceparent", rig.gateway, false),
                new Case("tracing off, traceparent", rig.gateway, true),
                new Case("tracing on, traceparent", tracing, true));
        // Every case once per round, the last round kept: the JIT settles in the first, no case runs always last.
        int rounds = options.smoke() ? 1 : 2;
        int publishers = options.smoke() ? 4 : 32;
        double[][] publish = new double[cases.size()][];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < cases.size(); i++) {
                Case measured = cases.get(i);
                List<WebSocket> sockets = rig.connect(measured.gateway(), publishers,
                        BenchRig.tokens(publishers, "traced"));
                String headers = measured.traced() ? HEADERS : null;
                PublishScenario.publishLoad(sockets, warmUp, PublishScenario.ACK, TOPIC, BenchRig.DATA, headers);
                double before = ProcessCpu.seconds(measured.gateway().pid());
                PublishScenario.Load load = PublishScenario.publishLoad(sockets, duration, PublishScenario.ACK,
                        TOPIC, BenchRig.DATA, headers);
                double micros = load.answered() == 0
                        ? 0
                        : (ProcessCpu.seconds(measured.gateway().pid()) - before) * 1e6 / load.answered();
                System.out.printf(Locale.ROOT, "Publish, %s: %,.0f acked/s, %.1f µs CPU each%n", measured.name(),
                        load.perSecond(), micros);
                publish[i] = new double[]{load.perSecond(), micros};
                BenchRig.closeAll(sockets);
            }
        }
        for (int i = 1; i < cases.size(); i++) {
            report.add("Publish, " + cases.get(i).name() + ": CPU per acked publish",
                    Report.fmt1(publish[i][1]) + " µs (" + Report.fmt(publish[i][0]) + "/s)",
                    cases.get(0).name() + " " + Report.fmt1(publish[0][1]) + " µs (" + Report.fmt(publish[0][0])
                            + "/s)",
                    Report.ratio(publish[i][1], publish[0][1]), "");
        }

        int subscribers = options.smoke() ? 5 : 100;
        // Low enough for the load client to read every frame: a socket that falls behind is closed (1008).
        double rate = options.smoke() ? 100 : 500;
        double[] fanOut = new double[cases.size()];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                rig.broker.bootstrapServers(), "linger.ms", "1", "acks", "1"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            byte[] value = BenchRig.DATA.getBytes(StandardCharsets.UTF_8);
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < cases.size(); i++) {
                    Case measured = cases.get(i);
                    AtomicLong events = new AtomicLong();
                    List<WebSocket> sockets = rig.connect(measured.gateway(), subscribers,
                            BenchRig.tokens(subscribers, "traced-subscriber"));
                    try {
                        BenchRig.subscribeAll(sockets, socket -> List.of(
                                "{\"type\":\"subscribe\",\"id\":\"t\",\"channel\":\"" + TOPIC + "\"}"), events);
                        AvroScenario.produceAtRate(producer, rate, warmUp, n -> record(value, measured.traced()));
                        options.settle();
                        long eventsBefore = events.get();
                        double before = ProcessCpu.seconds(measured.gateway().pid());
                        AvroScenario.produceAtRate(producer, rate, duration, n -> record(value, measured.traced()));
                        options.settle();
                        long delivered = events.get() - eventsBefore;
                        fanOut[i] = delivered == 0
                                ? 0
                                : (ProcessCpu.seconds(measured.gateway().pid()) - before) * 1e6 / delivered;
                        System.out.printf(Locale.ROOT, "Fan-out to %d subscribers, %s: %,d events of %,.0f, %.2f µs "
                                + "CPU each%n", subscribers, measured.name(), delivered,
                                rate * duration.toSeconds() * subscribers, fanOut[i]);
                    } finally {
                        BenchRig.closeAll(sockets);
                    }
                }
            }
        }
        for (int i = 1; i < cases.size(); i++) {
            report.add("Fan-out to " + subscribers + ", " + cases.get(i).name() + ": CPU per delivered event",
                    Report.fmt2(fanOut[i]) + " µs", cases.get(0).name() + " " + Report.fmt2(fanOut[0]) + " µs",
                    Report.ratio(fanOut[i], fanOut[0]), "");
        }
        System.out.printf(Locale.ROOT, "Spans exported by the traced gateway: %,d OTLP requests, %,d bytes%n",
                exports.get(), exportedBytes.get());
        if (exports.get() == 0) {
            throw new IllegalStateException("the traced gateway exported no span: the figures are void");
        }
    }

    /** A record of the fan-out, with a client's traceparent or without. */
    private static ProducerRecord<byte[], byte[]> record(byte[] value, boolean traced) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, value);
        if (traced) {
            record.headers().add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
