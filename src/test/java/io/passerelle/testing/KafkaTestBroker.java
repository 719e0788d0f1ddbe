package io.passerelle.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One real single-node KRaft broker in the test JVM, started on first use and shared by every test class.
 */
public final class KafkaTestBroker {

    /**
     * The running broker, shared through the JVM's system properties: Quarkus loads test classes in a class loader
     * of its own, so this class may exist twice in one JVM, and both copies must find the one broker.
     */
    private static final String BOOTSTRAP_PROPERTY = "passerelle.test.kafka.bootstrap";
    private static final String CLOSER_PROPERTY = "passerelle.test.kafka.closer";

    private static String bootstrap;
    private static Admin admin;

    private KafkaTestBroker() {
    }

    public static String bootstrapServers() {
        synchronized (System.getProperties()) {
            if (bootstrap == null) {
                bootstrap = System.getProperty(BOOTSTRAP_PROPERTY);
                if (bootstrap == null) {
                    bootstrap = start();
                }
                admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
            }
            return bootstrap;
        }
    }

    /**
     * A fault inside a broker of the test JVM must fail a test, not halt the JVM (which the build then reports as a
     * crashed fork): Kafka's exit and halt go through these procedures. For every in-JVM cluster.
     */
    public static void guardExits() {
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("the test broker asked to exit with " + status + ": " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("the test broker asked to halt with " + status + ": " + message);
        });
    }

    private static String start() {
        guardExits();
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            System.setProperty(BOOTSTRAP_PROPERTY, cluster.bootstrapServers());
            // Closed by BrokerSessionListener when the test run ends, before the JVM shuts down.
            System.getProperties().put(CLOSER_PROPERTY, (AutoCloseable) cluster::close);
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("the test Kafka broker did not start", e);
        }
    }

    /** Stops the broker, if one runs; for the end of the test run. */
    static void stop() throws Exception {
        Object closer;
        synchronized (System.getProperties()) {
            closer = System.getProperties().remove(CLOSER_PROPERTY);
            System.clearProperty(BOOTSTRAP_PROPERTY);
        }
        if (closer instanceof AutoCloseable cluster) {
            cluster.close();
        }
    }

    /** Creates a topic with a unique name built from the prefix and waits until it exists. */
    public static String createTopic(String prefix, int partitions) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        bootstrapServers();
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // The broker learns of a new topic a moment after the controller created it: wait until it describes
            // the topic with a leader for every partition, as the gateway will ask it to.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!described(name, partitions)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " was created but is not described");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
        return name;
    }

    /** Creates {@code count} topics at once (one request), each with a unique name, and waits until all exist. */
    public static List<String> createTopics(String prefix, int count, int partitions) {
        bootstrapServers();
        List<String> names = new ArrayList<>();
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
            names.add(name);
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String name : names) {
                while (!described(name, partitions)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topic " + name + " was created but is not described");
                    }
                    Thread.sleep(20);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics " + prefix + "-*", e);
        }
        return names;
    }

    /** Deletes the topic and waits until the broker no longer lists it. */
    public static void deleteTopic(String topic) {
        try {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (topics().contains(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " is still listed");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not delete topic " + topic, e);
        }
    }

    /** Raises the topic's partition count and waits until the broker describes every partition. */
    public static void addPartitions(String topic, int total) {
        try {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(total))).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!described(topic, total)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " does not describe " + total + " partitions");
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not add partitions to " + topic, e);
        }
    }

    private static boolean described(String topic, int partitions) {
        try {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic);
            return description.partitions().size() == partitions
                    && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (Exception e) {
            return false;
        }
    }

    public static KafkaProducer<String, String> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Produces one record synchronously and returns where it landed. */
    public static RecordMetadata produce(String topic, Integer partition, String key, String value) {
        try (KafkaProducer<String, String> producer = producer()) {
            return producer.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Produces one record with headers synchronously. */
    public static RecordMetadata produce(String topic, String key, String value, Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, text) -> recordHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, String> producer = producer()) {
            return producer.send(new ProducerRecord<String, String>(topic, null, key, value, recordHeaders))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads every record of the topic from the beginning until {@code count} arrived or the timeout passed. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int count, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    public static Set<String> topics() {
        try {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
