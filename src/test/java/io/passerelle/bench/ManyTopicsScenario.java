package io.passerelle.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.vertx.core.http.WebSocket;

/**
 * Many topics: 1,000 topics, each subscribed by 5 sockets (every socket subscribes to 200 topics). What it costs the
 * gateway: its threads (Kafka reader threads above all), its heap after a forced GC, and whether one record on every
 * topic reaches its 5 sockets.
 */
final class ManyTopicsScenario {

    private static final int SOCKETS_PER_TOPIC = 5;
    private static final int TOPICS_PER_SOCKET = 200;

    private ManyTopicsScenario() {
    }

    static void run(BenchRig rig, BenchOptions options, Report report) throws Exception {
        int topicCount = options.smoke() ? 20 : 1000;
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < topicCount; i++) {
            topics.add(String.format(Locale.ROOT, "bench-topic-%04d", i));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", rig.broker.bootstrapServers()))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all()
                    .get(120, TimeUnit.SECONDS);
        }
        Thread.sleep(2000); // every broker learns of the topics
        rig.jcmd("GC.run");
        long heapBefore = rig.heapUsed();
        long threadsBefore = rig.threads();
        int perSocket = Math.min(TOPICS_PER_SOCKET, topicCount);
        int socketCount = topicCount * SOCKETS_PER_TOPIC / perSocket;
        List<WebSocket> sockets = rig.connect(socketCount, "topics");
        AtomicLong events = new AtomicLong();
        // Socket s reads a window of topics; windows overlap so that each topic has SOCKETS_PER_TOPIC readers.
        BenchRig.subscribeAll(sockets, s -> {
            int first = (s * perSocket / SOCKETS_PER_TOPIC) % topicCount;
            List<String> frames = new ArrayList<>();
            for (int t = 0; t < perSocket; t++) {
                String topic = topics.get((first + t) % topicCount);
                frames.add("{\"type\":\"subscribe\",\"id\":\"" + topic + "\",\"channel\":\"" + topic + "\"}");
            }
            return frames;
        }, events);
        try (KafkaProducer<String, String> producer = rig.producer()) {
            topics.forEach(topic -> producer.send(new ProducerRecord<>(topic, "k", BenchRig.DATA)));
        }
        long expected = (long) socketCount * perSocket;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (events.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long readers = rig.threadsNamed("passerelle-reader-");
        long threadsAfter = rig.threads();
        rig.jcmd("GC.run");
        long heapAfter = rig.heapUsed();
        BenchRig.closeAll(sockets);
        System.out.printf(Locale.ROOT, "Many topics: %d topics × %d sockets: %d of %d events, %d reader threads,"
                + " %d threads (+%d), heap +%.1f MB%n", topicCount, SOCKETS_PER_TOPIC, events.get(), expected,
                readers, threadsAfter, threadsAfter - threadsBefore, (heapAfter - heapBefore) / 1e6);
        String label = Report.fmt(topicCount) + " topics × " + SOCKETS_PER_TOPIC + " sockets";
        report.add(label + ": Kafka reader threads", Report.fmt(readers), "pool of 4", "", "≤ the pool");
        report.add(label + ": gateway threads added", Report.fmt(threadsAfter - threadsBefore),
                Report.fmt(threadsAfter) + " in all", "", "");
        report.add(label + ": heap added", Report.fmt1((heapAfter - heapBefore) / 1e6) + " MB",
                Report.fmt(socketCount * perSocket) + " subscriptions", "", "");
        report.add(label + ": one record per topic delivered", Report.fmt(events.get()),
                "of " + Report.fmt(expected), "", "all");
    }
}
