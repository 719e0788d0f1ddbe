package io.passerelle.fanout;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The subscriptions of one topic, indexed by what their filters name, so that a record costs work in proportion to
 * the subscriptions it may match and not to every subscription of its topic. Each subscription sits in exactly one
 * bucket, chosen by its most selective condition: its keys (one hash lookup per record), else its key prefix
 * (one lookup per distinct prefix length), else its first header (one lookup per distinct header name), else the
 * bucket of subscriptions that take every record. The candidates a record finds are then tested against their whole
 * filter by {@link Subscription#offer}. Used on one reader thread only.
 */
final class SubscriptionIndex {

    private final Map<ByteKey, List<Subscription>> byKey = new HashMap<>();
    /** Prefix length, then the prefix: a record's key is probed once per length, shortest first. */
    private final TreeMap<Integer, Map<ByteKey, List<Subscription>>> byPrefix = new TreeMap<>();
    private final Map<String, Map<ByteKey, List<Subscription>>> byHeader = new HashMap<>();
    private final List<Subscription> everyRecord = new ArrayList<>();
    private final Set<Subscription> all = new LinkedHashSet<>();

    void add(Subscription subscription) {
        all.add(subscription);
        RecordMatcher matcher = subscription.matcher();
        if (matcher.keys() != null) {
            matcher.keys().forEach(key -> byKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(subscription));
        } else if (matcher.keyPrefix() != null) {
            byte[] prefix = matcher.keyPrefix();
            byPrefix.computeIfAbsent(prefix.length, length -> new HashMap<>())
                    .computeIfAbsent(ByteKey.of(prefix), k -> new ArrayList<>(1)).add(subscription);
        } else if (matcher.firstHeaderName() != null) {
            byHeader.computeIfAbsent(matcher.firstHeaderName(), name -> new HashMap<>())
                    .computeIfAbsent(ByteKey.of(matcher.firstHeaderValue()), k -> new ArrayList<>(1))
                    .add(subscription);
        } else {
            everyRecord.add(subscription);
        }
    }

    void remove(Subscription subscription) {
        if (!all.remove(subscription)) {
            return;
        }
        RecordMatcher matcher = subscription.matcher();
        if (matcher.keys() != null) {
            matcher.keys().forEach(key -> removeFrom(byKey, key, subscription));
        } else if (matcher.keyPrefix() != null) {
            byte[] prefix = matcher.keyPrefix();
            Map<ByteKey, List<Subscription>> ofLength = byPrefix.get(prefix.length);
            removeFrom(ofLength, ByteKey.of(prefix), subscription);
            if (ofLength.isEmpty()) {
                byPrefix.remove(prefix.length);
            }
        } else if (matcher.firstHeaderName() != null) {
            Map<ByteKey, List<Subscription>> ofName = byHeader.get(matcher.firstHeaderName());
            removeFrom(ofName, ByteKey.of(matcher.firstHeaderValue()), subscription);
            if (ofName.isEmpty()) {
                byHeader.remove(matcher.firstHeaderName());
            }
        } else {
            everyRecord.remove(subscription);
        }
    }

    /** Hands every subscription the record may match to {@code candidate}, each once. */
    void forEachCandidate(ConsumerRecord<byte[], byte[]> record, Consumer<Subscription> candidate) {
        for (int i = 0; i < everyRecord.size(); i++) {
            candidate.accept(everyRecord.get(i));
        }
        byte[] key = record.key();
        if (key != null) {
            if (!byKey.isEmpty()) {
                forEach(byKey.get(ByteKey.of(key)), candidate);
            }
            for (Map.Entry<Integer, Map<ByteKey, List<Subscription>>> ofLength : byPrefix.entrySet()) {
                if (ofLength.getKey() > key.length) {
                    break;
                }
                forEach(ofLength.getValue().get(ByteKey.prefix(key, ofLength.getKey())), candidate);
            }
        }
        if (!byHeader.isEmpty()) {
            for (Map.Entry<String, Map<ByteKey, List<Subscription>>> ofName : byHeader.entrySet()) {
                Header header = record.headers().lastHeader(ofName.getKey());
                if (header != null && header.value() != null) {
                    forEach(ofName.getValue().get(ByteKey.of(header.value())), candidate);
                }
            }
        }
    }

    Collection<Subscription> all() {
        return all;
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    int size() {
        return all.size();
    }

    /** Removes and returns every subscription. */
    List<Subscription> clear() {
        List<Subscription> ended = new ArrayList<>(all);
        all.clear();
        byKey.clear();
        byPrefix.clear();
        byHeader.clear();
        everyRecord.clear();
        return ended;
    }

    private static void forEach(List<Subscription> subscriptions, Consumer<Subscription> candidate) {
        if (subscriptions != null) {
            for (int i = 0; i < subscriptions.size(); i++) {
                candidate.accept(subscriptions.get(i));
            }
        }
    }

    private static void removeFrom(Map<ByteKey, List<Subscription>> map, ByteKey key,
            Subscription subscription) {
        List<Subscription> list = map.get(key);
        if (list != null) {
            list.remove(subscription);
            if (list.isEmpty()) {
                map.remove(key);
            }
        }
    }
}
