package io.passerelle.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import io.passerelle.testing.Await;
import io.passerelle.testing.KafkaTestBroker;

/** The consumer loop every reader runs on, against a real broker. */
class ConsumerLoopTest {

    private static final long WAIT_SECONDS = 20;

    private static Consumer<byte[], byte[]> consumer() {
        // Metadata refreshed often: the follower learns of added partitions from the consumer's metadata.
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, "200",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    /** A body that follows every partition of a topic from its end and records what it reads. */
    private static final class Follower implements ConsumerLoop.Body {
        final PartitionFollower partitions;
        final List<ConsumerRecord<byte[], byte[]>> read = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        final Duration poll;

        Follower(String topic, Duration refresh, Duration poll) {
            this.partitions = new PartitionFollower(topic, refresh, Consumer::seekToEnd);
            this.poll = poll;
        }

        @Override
        public void prepare(Consumer<byte[], byte[]> consumer) {
            partitions.refreshIfDue(consumer);
        }

        @Override
        public void turn(Consumer<byte[], byte[]> consumer) {
            consumer.poll(poll).forEach(read::add);
        }

        @Override
        public boolean failed(RuntimeException failure) {
            return true;
        }

        @Override
        public void closed() {
            closed.set(true);
        }
    }

    @Test
    void buildsItsConsumerOnItsOwnThreadAndRunsCommandsThereWithoutWaitingForThePoll() throws Exception {
        String topic = KafkaTestBroker.createTopic("loop-commands", 2);
        Thread caller = Thread.currentThread();
        AtomicInteger builtOn = new AtomicInteger();
        Follower body = new Follower(topic, Duration.ofMinutes(1), Duration.ofSeconds(60));
        ConsumerLoop loop = new ConsumerLoop("test-commands", () -> {
            builtOn.set(Thread.currentThread() == caller ? 1 : 2);
            return consumer();
        }, body);
        loop.start();
        try {
            // The poll waits up to a minute; a command cuts it short.
            long started = System.nanoTime();
            Thread ranOn = loop.call(consumer -> Thread.currentThread()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(2, builtOn.get(), "the consumer is built on the loop's thread");
            assertNotEquals(caller, ranOn);
            assertEquals("passerelle-test-commands", ranOn.getName());
            Thread again = loop.call(consumer -> Thread.currentThread()).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(ranOn, again, "every command runs on the one loop thread");
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
            assertEquals(2, loop.call(consumer -> consumer.assignment().size()).get(WAIT_SECONDS, TimeUnit.SECONDS),
                    "the follower assigned every partition before the commands ran");
        } finally {
            loop.stop();
        }
        loop.ended().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(body.closed.get());
    }

    @Test
    void followsFromTheEndAndReadsAddedPartitionsFromTheirStart() throws Exception {
        String topic = KafkaTestBroker.createTopic("loop-partitions", 1);
        KafkaTestBroker.produce(topic, 0, "k", "before");
        Follower body = new Follower(topic, Duration.ofMillis(200), Duration.ofMillis(100));
        ConsumerLoop loop = new ConsumerLoop("test-partitions", ConsumerLoopTest::consumer, body);
        loop.start();
        try {
            // Positioned once the first command runs: the follower assigned and sought the end before it.
            loop.call(consumer -> consumer.position(new TopicPartition(topic, 0)))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            KafkaTestBroker.produce(topic, 0, "k", "after");
            KafkaTestBroker.addPartitions(topic, 2);
            KafkaTestBroker.produce(topic, 1, "k", "on the new partition");
            awaitRead(body, 2);
            List<String> values = body.read.stream().map(r -> new String(r.value())).toList();
            assertEquals(List.of("after", "on the new partition"), values.stream().sorted().toList());
        } finally {
            loop.stop();
            loop.ended().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBodyThatGivesUpEndsTheLoopAndItsCommandsFail() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        CompletableFuture<Void> turned = new CompletableFuture<>();
        ConsumerLoop loop = new ConsumerLoop("test-failure", ConsumerLoopTest::consumer, new ConsumerLoop.Body() {
            @Override
            public void turn(Consumer<byte[], byte[]> consumer) {
                turned.complete(null);
                throw new IllegalStateException("broken");
            }

            @Override
            public boolean failed(RuntimeException failure) {
                return failures.incrementAndGet() < 2;
            }

            @Override
            public void closed() {
                closed.set(true);
            }
        });
        loop.start();
        turned.get(WAIT_SECONDS, TimeUnit.SECONDS);
        loop.ended().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(2, failures.get(), "retried once after a pause, then ended as the body asked");
        assertTrue(closed.get());
        ExecutionException late = assertThrows(ExecutionException.class,
                () -> loop.call(consumer -> 1).get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, late.getCause());
    }

    private static void awaitRead(Follower body, int count) {
        Await.until(count + " records read", Duration.ofSeconds(WAIT_SECONDS), () -> body.read.size() >= count);
        assertEquals(count, body.read.size(), "records read: " + body.read);
    }
}
