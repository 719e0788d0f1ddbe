package io.passerelle.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.passerelle.protocol.ChannelFilter;
import io.passerelle.protocol.FrameSink;
import io.passerelle.protocol.ServerFrame;

/**
 * The index hands a record only the subscriptions it may match: the work per record follows the subscriptions it
 * reaches, not the topic's subscriber count.
 */
class SubscriptionIndexTest {

    private static final FrameSink NOWHERE = new FrameSink() {
        @Override
        public void send(ServerFrame frame) {
        }

        @Override
        public void sendEncoded(String type, byte[] utf8) {
        }

        @Override
        public void sendEvent(byte[] head, byte[] body) {
        }

        @Override
        public void flushEvents() {
        }

        @Override
        public boolean isBackedUp() {
            return false;
        }
    };

    private static Subscription subscription(String id, ChannelFilter filter) {
        return new Subscription(id, "t", filter, null, NOWHERE);
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, value) -> recordHeaders.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>("t", 0, 0, 0, TimestampType.CREATE_TIME, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), new byte[0], recordHeaders,
                Optional.empty());
    }

    private static List<String> candidates(SubscriptionIndex index, ConsumerRecord<byte[], byte[]> record) {
        List<String> ids = new ArrayList<>();
        index.forEachCandidate(record, subscription -> ids.add(subscription.id()));
        return ids;
    }

    @Test
    void aKeyedRecordFindsItsSubscriptionAmongTenThousand() {
        SubscriptionIndex index = new SubscriptionIndex();
        for (int i = 0; i < 10_000; i++) {
            index.add(subscription("s" + i, ChannelFilter.ofKey("k" + i)));
        }
        assertEquals(List.of("s4242"), candidates(index, record("k4242", Map.of())));
        assertEquals(List.of(), candidates(index, record("nobody", Map.of())));
        assertEquals(List.of(), candidates(index, record(null, Map.of())));
    }

    @Test
    void eachKindOfFilterIsFoundByItsBucket() {
        SubscriptionIndex index = new SubscriptionIndex();
        index.add(subscription("all", ChannelFilter.ALL));
        index.add(subscription("keys", new ChannelFilter(Set.of("eu/paris", "us/nyc"), null, Map.of())));
        index.add(subscription("eu", new ChannelFilter(null, "eu/", Map.of())));
        index.add(subscription("eu-fr", new ChannelFilter(null, "eu/pa", Map.of())));
        index.add(subscription("t1", new ChannelFilter(null, null, Map.of("tenant", "t1"))));
        index.add(subscription("t2", new ChannelFilter(null, null, Map.of("tenant", "t2"))));

        assertEquals(Set.of("all", "keys", "eu", "eu-fr", "t1"),
                Set.copyOf(candidates(index, record("eu/paris", Map.of("tenant", "t1")))));
        assertEquals(Set.of("all", "eu"), Set.copyOf(candidates(index, record("eu/rome", Map.of()))));
        assertEquals(Set.of("all", "t2"), Set.copyOf(candidates(index, record(null, Map.of("tenant", "t2")))));
        assertEquals(List.of("all"), candidates(index, record("e", Map.of())));
    }

    @Test
    void aRemovedSubscriptionIsNoLongerACandidate() {
        SubscriptionIndex index = new SubscriptionIndex();
        Subscription prefix = subscription("eu", new ChannelFilter(null, "eu/", Map.of()));
        Subscription keyed = subscription("k", new ChannelFilter(Set.of("a", "b"), null, Map.of()));
        Subscription header = subscription("h", new ChannelFilter(null, null, Map.of("x", "1")));
        List.of(prefix, keyed, header).forEach(index::add);
        List.of(prefix, keyed, header).forEach(index::remove);
        assertEquals(List.of(), candidates(index, record("eu/a", Map.of("x", "1"))));
        assertEquals(List.of(), candidates(index, record("a", Map.of())));
        assertEquals(0, index.size());
    }
}
