package io.passerelle.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.passerelle.client.Event;
import io.passerelle.testing.KafkaTestBroker;

/** Numbered records over two partitions, and the check that a client received each once, in order. */
final class Streams {

    private Streams() {
    }

    /** Records {@code from} to {@code to - 1}: the value is the number, even ones on partition 0, odd on 1. */
    static void produce(String topic, int from, int to) {
        for (int i = from; i < to; i++) {
            KafkaTestBroker.produce(topic, i % 2, "k" + i, Integer.toString(i));
        }
    }

    /** Exactly the records {@code 0..count-1} arrived, none twice, each partition in order from 0 without a gap. */
    static void assertEachOnceInOrder(Inbox<Event> events, int count, Duration wait) throws InterruptedException {
        List<Event> received = events.await(count, wait);
        assertEquals(count, events.settle(Duration.ofMillis(500)).size(), "no duplicate");
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            expected.add(Integer.toString(i));
        }
        assertEquals(expected, received.stream().map(e -> e.data().toString()).collect(Collectors.toSet()));
        for (int partition = 0; partition < 2; partition++) {
            int p = partition;
            List<Long> offsets = received.stream().filter(e -> e.partition() == p).map(Event::offset)
                    .collect(Collectors.toList());
            for (int i = 0; i < offsets.size(); i++) {
                assertEquals(i, offsets.get(i), "partition " + p + " in order, from 0, without a gap");
            }
        }
    }
}
