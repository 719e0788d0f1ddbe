package io.passerelle.fanout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.passerelle.protocol.ChannelFilter;

/**
 * A {@link ChannelFilter} in the form records are tested against: UTF-8 bytes, compared without decoding the
 * record. Immutable; used by any reader thread.
 */
final class RecordMatcher {

    private final ChannelFilter filter;
    private final Set<ByteKey> keys;
    /** The one key of a filter with one key (the most common): compared without a set lookup. */
    private final byte[] onlyKey;
    private final byte[] keyPrefix;
    private final String[] headerNames;
    private final byte[][] headerValues;

    RecordMatcher(ChannelFilter filter) {
        this.filter = filter;
        if (filter.keys() == null) {
            this.keys = null;
        } else {
            this.keys = new HashSet<>();
            filter.keys().forEach(key -> keys.add(ByteKey.of(utf8(key))));
        }
        this.onlyKey = filter.keys() != null && filter.keys().size() == 1
                ? utf8(filter.keys().iterator().next())
                : null;
        this.keyPrefix = filter.keyPrefix() == null ? null : utf8(filter.keyPrefix());
        Map<String, String> headers = new TreeMap<>(filter.headers());
        this.headerNames = headers.keySet().toArray(String[]::new);
        this.headerValues = headers.values().stream().map(RecordMatcher::utf8).toArray(byte[][]::new);
    }

    ChannelFilter filter() {
        return filter;
    }

    /** The record keys this matcher is limited to, or null for any key. */
    Set<ByteKey> keys() {
        return keys;
    }

    byte[] keyPrefix() {
        return keyPrefix;
    }

    /** The first header condition's name (in name order), or null when there is none. */
    String firstHeaderName() {
        return headerNames.length == 0 ? null : headerNames[0];
    }

    byte[] firstHeaderValue() {
        return headerValues[0];
    }

    boolean matches(ConsumerRecord<byte[], byte[]> record) {
        byte[] key = record.key();
        if (onlyKey != null) {
            if (!Arrays.equals(onlyKey, key)) {
                return false;
            }
        } else if (keys != null && (key == null || !keys.contains(ByteKey.of(key)))) {
            return false;
        }
        if (keyPrefix != null && (key == null || key.length < keyPrefix.length
                || !Arrays.equals(key, 0, keyPrefix.length, keyPrefix, 0, keyPrefix.length))) {
            return false;
        }
        for (int i = 0; i < headerNames.length; i++) {
            Header header = record.headers().lastHeader(headerNames[i]);
            if (header == null || !Arrays.equals(header.value(), headerValues[i])) {
                return false;
            }
        }
        return true;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
