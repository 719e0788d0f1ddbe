package io.passerelle.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.http.WebSocket;

/**
 * Publish: 32 sockets publish 200-byte {@code data}, 64 unacknowledged each, and count {@code ack}s; against
 * Kafka's {@code ProducerPerformance} and the request/response ceiling of the same client.
 */
final class PublishScenario {

    static final String ACK = "{\"type\":\"ack\"";

    private PublishScenario() {
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        int connections = options.smoke() ? 4 : 32;
        Duration duration = Duration.ofSeconds(options.seconds(3, 20));
        // Unmeasured load first, until the JIT has compiled the hot path: the figures are the compiled code's.
        WarmUp.Plan warmUp = WarmUp.Plan.of(options);
        List<WebSocket> sockets = rig.connect(connections, "publisher");
        WarmUp.Result gatewayWarmUp = warmUp.run(rig.gateway.pid(), window -> publishLoad(sockets, window, ACK));
        MachineAccount machine = MachineAccount.start(new MachineAccount.Part("gateway", rig.gateway.pid()),
                new MachineAccount.Part("broker", rig.broker.pid()),
                new MachineAccount.Part("load client", ProcessHandle.current().pid()));
        WarmUp.CpuMark mark = WarmUp.CpuMark.of(rig.gateway.pid());
        Load gateway = publishLoad(sockets, duration, ACK);
        String gatewayAccount = MachineAccount.describe(machine.perUnitMicros(gateway.answered()));
        double gatewayMicros = gateway.perUnitMicros(mark.processSince());
        double gatewayJitMicros = gateway.perUnitMicros(mark.compilerSince());
        BenchRig.closeAll(sockets);
        Ceilings.ExchangeRun exchange = new Ceilings(rig.vertx).requestResponse(connections, warmUp, duration);
        int records = options.smoke() ? 50_000 : 2_000_000;
        int runs = options.smoke() ? 1 : 4;
        // The same producer also writes as many bytes a record as a publish's record holds: its data and the
        // identity headers every published record carries (docs/protocol.md), which the 200-byte reference does not.
        // The two references are run A B B A and averaged, the machine's speed drifts over a scenario; A B only in
        // smoke mode, which keeps the path working and measures nothing.
        int publishedBytes = rig.lastRecordBytes("bench-publish");
        KafkaTools.ProducerRun kafka = KafkaTools.ProducerRun.NONE;
        KafkaTools.ProducerRun kafkaSameBytes = KafkaTools.ProducerRun.NONE;
        if (rig.kafkaTools.present()) {
            kafka = producerPerformance(rig, 200, records, runs);
            kafkaSameBytes = producerPerformance(rig, publishedBytes, records, runs);
            if (!options.smoke()) {
                kafkaSameBytes = KafkaTools.ProducerRun.mean(kafkaSameBytes,
                        producerPerformance(rig, publishedBytes, records, runs));
                kafka = KafkaTools.ProducerRun.mean(kafka, producerPerformance(rig, 200, records, runs));
            }
        }
        double kafkaRate = kafka.recordsPerSecond();
        double ceiling = exchange.exchangesPerSecond();
        report.add("Publish, acked/s (200 B, acks=all)", Report.fmt(gateway.perSecond()),
                "ProducerPerformance " + Report.fmt(kafkaRate), Report.ratio(gateway.perSecond(), kafkaRate), "");
        addShareOfBound(report, "Publish against the machine's bound E / (E + P), E the request/response ceiling",
                gateway.perSecond(), ceiling, kafkaRate, "WebSocket request/response ceiling " + Report.fmt(ceiling),
                "≥ 0.8 of the bound");
        double sameBytesRate = kafkaSameBytes.recordsPerSecond();
        addShareOfBound(report, String.format(Locale.ROOT,
                "Publish against the bound with P writing the publish's %d bytes a record (data and identity headers)",
                publishedBytes), gateway.perSecond(), ceiling, sameBytesRate,
                "ProducerPerformance " + Report.fmt(sameBytesRate) + " records/s of " + publishedBytes + " B", "");
        // What a gateway that spent nothing beyond a bare exchange and a bare producer record of its own bytes would
        // score against the 200-byte references: the most the two goals above allow on this machine.
        double bound = bound(ceiling, kafkaRate);
        if (bound > 0 && sameBytesRate > 0) {
            double perfectRate = 1 / (1 / ceiling + 1 / sameBytesRate);
            double perfectCpu = exchange.cpuMicrosPerExchange() + kafkaSameBytes.cpuMicrosPerRecord();
            report.add("Publish: a gateway with no cost of its own (an exchange plus a producer record of its bytes)",
                    String.format(Locale.ROOT, "%.2f of the bound, %.1f × in CPU", perfectRate / kafkaRate / bound,
                            perfectCpu / (exchange.cpuMicrosPerExchange() + kafka.cpuMicrosPerRecord())),
                    "the best the 200-byte references allow", "", "");
        }
        double reference = exchange.cpuMicrosPerExchange() + kafka.cpuMicrosPerRecord();
        report.add("Publish, CPU per acked publish (of which the JIT)",
                String.format(Locale.ROOT, "%.1f µs (%.1f)", gatewayMicros, gatewayJitMicros),
                String.format(Locale.ROOT, "plain server %.1f µs per exchange + producer %.1f µs per record",
                        exchange.cpuMicrosPerExchange(), kafka.cpuMicrosPerRecord()),
                reference > 0 ? Report.fmt1(gatewayMicros / reference) + " ×" : "", "≤ 1.5 ×");
        double referenceSameBytes = exchange.cpuMicrosPerExchange() + kafkaSameBytes.cpuMicrosPerRecord();
        report.add("Publish, CPU per acked publish against the producer writing the publish's bytes",
                String.format(Locale.ROOT, "%.1f µs", gatewayMicros),
                String.format(Locale.ROOT, "plain server %.1f µs per exchange + producer %.1f µs per %d-byte record",
                        exchange.cpuMicrosPerExchange(), kafkaSameBytes.cpuMicrosPerRecord(), publishedBytes),
                kafkaSameBytes.cpuMicrosPerRecord() > 0
                        ? Report.fmt1(gatewayMicros / referenceSameBytes) + " ×"
                        : "",
                "");
        // The whole machine's time per unit, by process: what the bound's references spend, and what a publish does.
        report.add("Publish, the machine's CPU per acked publish, by process (all cores, idle included)",
                gatewayAccount, "per exchange: " + exchange.machineAccount() + "; per producer record: "
                        + MachineAccount.describe(kafka.machineMicros()) + "; per record of the publish's bytes: "
                        + MachineAccount.describe(kafkaSameBytes.machineMicros()),
                "", "");
        report.add(
                String.format(Locale.ROOT, "Publish warm-up: load until the JIT's share of a %d s window is ≤ %.0f %%",
                        warmUp.window().toSeconds(), WarmUp.SETTLED_SHARE * 100),
                gatewayWarmUp.describe(),
                String.format(Locale.ROOT, "plain server: %s; producer: %d runs, JIT %.0f %% of the last",
                        exchange.warmUp().describe(), kafka.runs(), kafka.lastJitShare() * 100),
                "", "");
    }

    /**
     * Each publish costs at least one request/response exchange plus one Kafka write, on the same cores: against
     * the producer's rate P, the gateway's ratio cannot exceed E / (E + P), with E the exchange ceiling.
     */
    private static double bound(double ceiling, double producerRate) {
        return producerRate > 0 ? ceiling / (ceiling + producerRate) : 0;
    }

    /** A row of the gateway's rate against a producer reference and the bound it gives, as a share of that bound. */
    private static void addShareOfBound(Report report, String measure, double gatewayRate, double ceiling,
            double producerRate, String reference, String goal) {
        double bound = bound(ceiling, producerRate);
        report.add(measure, bound > 0 ? Report.ratio(gatewayRate, producerRate) : "",
                reference + (bound > 0 ? String.format(Locale.ROOT, ", bound ≤ %.2f", bound) : ""),
                bound > 0 ? String.format(Locale.ROOT, "%.2f of the bound", gatewayRate / producerRate / bound) : "",
                goal);
    }

    private static KafkaTools.ProducerRun producerPerformance(BenchRig rig, int recordSize, int records, int runs)
            throws Exception {
        return rig.kafkaTools.producerPerformance(rig.broker.bootstrapServers(), rig.broker.pid(), "bench-kafka",
                recordSize, records, runs);
    }

    /** Answers counted over a load's measured time. */
    record Load(long answered, double seconds) {
        double perSecond() {
            return answered / seconds;
        }

        /** CPU seconds spent over the load, per answer, in µs. */
        double perUnitMicros(double cpuSeconds) {
            return answered > 0 ? cpuSeconds * 1e6 / answered : 0;
        }
    }

    /**
     * Publishes 200-byte records from every socket, at most 64 unanswered each, for the duration; returns the
     * answers per second that start with {@code answerPrefix}.
     */
    static Load publishLoad(List<WebSocket> sockets, Duration duration, String answerPrefix)
            throws InterruptedException {
        return publishLoad(sockets, duration, answerPrefix, "bench-publish", BenchRig.DATA);
    }

    /** The same, to the channel, with the given JSON {@code data}. */
    static Load publishLoad(List<WebSocket> sockets, Duration duration, String answerPrefix, String channel,
            String data) throws InterruptedException {
        return publishLoad(sockets, duration, answerPrefix, channel, data, null);
    }

    /** The same, each publish with the given {@code headers} (a JSON object), or none when null. */
    static Load publishLoad(List<WebSocket> sockets, Duration duration, String answerPrefix, String channel,
            String data, String headers) throws InterruptedException {
        String fields = "\",\"channel\":\"" + channel + "\"" + (headers == null ? "" : ",\"headers\":" + headers)
                + ",\"data\":" + data + "}";
        int window = 64;
        AtomicLong answered = new AtomicLong();
        CountDownLatch done = new CountDownLatch(sockets.size());
        long deadline = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        List<Semaphore> windows = new ArrayList<>();
        for (WebSocket socket : sockets) {
            Semaphore permits = new Semaphore(window);
            windows.add(permits);
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
                            socket.writeTextMessage(
                                    "{\"type\":\"publish\",\"id\":\"" + ids.incrementAndGet() + fields);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                done.countDown();
            }, "publisher").start();
        }
        done.await();
        // The last answers, for at most a second: the load ends when they are in, so that it holds no idle tail.
        long lastAnswers = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (windows.stream().anyMatch(permits -> permits.availablePermits() < window)
                && System.nanoTime() < lastAnswers) {
            Thread.sleep(1);
        }
        return new Load(answered.get(), (System.nanoTime() - start) / 1e9);
    }
}
