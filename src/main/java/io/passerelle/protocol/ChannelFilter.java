package io.passerelle.protocol;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which records of a channel a subscription receives, or a scoped grant allows: every condition that is set must
 * hold (they are ANDed). Kept normal: when {@code keys} is set, every key in it starts with {@code keyPrefix} and
 * the prefix is dropped; a filter that could match nothing is never built (see {@link #and}).
 *
 * @param keys the record key must be one of these (UTF-8 text), or null for any key
 * @param keyPrefix the record key must start with this, or null
 * @param headers each named header must have exactly this value (UTF-8 text)
 */
public record ChannelFilter(Set<String> keys, String keyPrefix, Map<String, String> headers) {

    public static final ChannelFilter ALL = new ChannelFilter(null, null, Map.of());

    public ChannelFilter {
        keys = keys == null ? null : Set.copyOf(new TreeSet<>(keys));
        headers = Map.copyOf(headers);
        if (keys != null && keyPrefix != null) {
            String prefix = keyPrefix;
            keys = keys.stream().filter(key -> key.startsWith(prefix)).collect(Collectors.toUnmodifiableSet());
            keyPrefix = null;
        }
        if (keyPrefix != null && keyPrefix.isEmpty()) {
            keyPrefix = null;
        }
        if (keys != null && keys.isEmpty()) {
            throw new IllegalArgumentException("a filter that matches no key");
        }
    }

    public static ChannelFilter ofKey(String key) {
        return new ChannelFilter(Set.of(key), null, Map.of());
    }

    public boolean isAll() {
        return keys == null && keyPrefix == null && headers.isEmpty();
    }

    /** Both filters at once, or null when no record could pass both. */
    public ChannelFilter and(ChannelFilter other) {
        Set<String> bothKeys;
        if (keys == null) {
            bothKeys = other.keys;
        } else if (other.keys == null) {
            bothKeys = keys;
        } else {
            bothKeys = keys.stream().filter(other.keys::contains).collect(Collectors.toSet());
        }
        String prefix;
        if (keyPrefix == null || other.keyPrefix == null) {
            prefix = keyPrefix == null ? other.keyPrefix : keyPrefix;
        } else if (keyPrefix.startsWith(other.keyPrefix)) {
            prefix = keyPrefix;
        } else if (other.keyPrefix.startsWith(keyPrefix)) {
            prefix = other.keyPrefix;
        } else {
            return null;
        }
        Map<String, String> bothHeaders = new TreeMap<>(headers);
        for (Map.Entry<String, String> header : other.headers.entrySet()) {
            String mine = bothHeaders.putIfAbsent(header.getKey(), header.getValue());
            if (mine != null && !mine.equals(header.getValue())) {
                return null;
            }
        }
        if (bothKeys != null && bothKeys.stream().noneMatch(key -> prefix == null || key.startsWith(prefix))) {
            return null;
        }
        return new ChannelFilter(bothKeys, prefix, bothHeaders);
    }

    /** True when every record this filter passes also passes {@code wider}. */
    public boolean within(ChannelFilter wider) {
        if (wider.keys != null && (keys == null || !wider.keys.containsAll(keys))) {
            return false;
        }
        if (wider.keyPrefix != null) {
            boolean prefixed = keys != null
                    ? keys.stream().allMatch(key -> key.startsWith(wider.keyPrefix))
                    : keyPrefix != null && keyPrefix.startsWith(wider.keyPrefix);
            if (!prefixed) {
                return false;
            }
        }
        for (Map.Entry<String, String> header : wider.headers.entrySet()) {
            if (!header.getValue().equals(headers.get(header.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A stable text of the filter, the same for equal filters: {@code key=a|b;keyPrefix=p;header.h=v}. */
    public String canonical() {
        StringBuilder text = new StringBuilder();
        if (keys != null) {
            text.append("key=").append(String.join("|", new TreeSet<>(keys)));
        }
        if (keyPrefix != null) {
            text.append(text.isEmpty() ? "" : ";").append("keyPrefix=").append(keyPrefix);
        }
        new TreeMap<>(headers).forEach((name, value) -> text.append(text.isEmpty() ? "" : ";").append("header.")
                .append(name).append('=').append(value));
        return text.toString();
    }
}
