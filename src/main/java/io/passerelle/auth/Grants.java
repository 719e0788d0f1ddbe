package io.passerelle.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.passerelle.protocol.ChannelFilter;

/**
 * What one connection may do: the grants it may publish and subscribe under, unscoped ones first.
 * <p>
 * A subscribe is never wider than a grant: its filter is kept when an unscoped grant or a grant it lies within
 * allows it, and otherwise narrowed to the first grant it is compatible with; a filter no grant is compatible with
 * is refused. A publish keeps its key and headers when a grant allows them, has the missing ones stamped from the
 * first grant that names them, and is refused when it contradicts every grant.
 */
public record Grants(List<Grant> publish, List<Grant> subscribe) {

    // Before NONE: static fields are set in order, and NONE's construction sorts.
    private static final Comparator<Grant> UNSCOPED_FIRST = Comparator.comparing(Grant::isScoped);
    public static final Grants NONE = new Grants(List.of(), List.of());

    public Grants {
        publish = publish.stream().sorted(UNSCOPED_FIRST).toList();
        subscribe = subscribe.stream().sorted(UNSCOPED_FIRST).toList();
    }

    /** What a publish writes under the grants. */
    public sealed interface PublishDecision {
    }

    /** Allowed, with the key and headers to write (the client's, plus what a scoped grant stamped). */
    public record Allowed(String key, Map<String, String> headers) implements PublishDecision {
    }

    /** Not allowed; the message says why. */
    public record Refused(String message) implements PublishDecision {
    }

    public PublishDecision publish(String topic, String key, Map<String, String> headers) {
        List<Grant> candidates = matching(publish, topic);
        if (candidates.isEmpty()) {
            return new Refused("publishing to '" + topic + "' is not granted");
        }
        Allowed stamped = null;
        for (Grant grant : candidates) {
            ChannelFilter scope = grant.scope();
            if (!compatible(scope, key, headers)) {
                continue;
            }
            Allowed written = stamp(scope, key, headers);
            if (written == null) {
                continue;
            }
            // stamp hands back the client's own key and map when it adds nothing: the publish passes as it is.
            if (written.key() == key && written.headers() == headers) {
                return written;
            }
            if (stamped == null) {
                stamped = written;
            }
        }
        return stamped != null
                ? stamped
                : new Refused("the key or headers are outside what is granted on '" + topic + "'");
    }

    /**
     * The filter a subscribe reads under the grants: the client's own, or narrowed to a grant; null when it
     * contradicts every grant (or none names the topic).
     */
    public ChannelFilter subscribeFilter(String topic, ChannelFilter requested) {
        List<Grant> candidates = matching(subscribe, topic);
        for (Grant grant : candidates) {
            if (requested.within(grant.scope())) {
                return requested;
            }
        }
        for (Grant grant : candidates) {
            ChannelFilter narrowed = requested.and(grant.scope());
            if (narrowed != null) {
                return narrowed;
            }
        }
        return null;
    }

    /** True when a subscription with this filter is still within a grant (after a refresh). */
    public boolean covers(String topic, ChannelFilter filter) {
        for (Grant grant : matching(subscribe, topic)) {
            if (filter.within(grant.scope())) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return publish.isEmpty() && subscribe.isEmpty();
    }

    private static boolean compatible(ChannelFilter scope, String key, Map<String, String> headers) {
        if (key != null && scope.keys() != null && !scope.keys().contains(key)) {
            return false;
        }
        if (scope.keyPrefix() != null && (key == null || !key.startsWith(scope.keyPrefix()))) {
            return false;
        }
        for (Map.Entry<String, String> header : scope.headers().entrySet()) {
            String value = headers.get(header.getKey());
            if (value != null && !value.equals(header.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The key and headers with what the scope requires filled in, or null when it cannot be (several keys). */
    private static Allowed stamp(ChannelFilter scope, String key, Map<String, String> headers) {
        String written = key;
        if (key == null && scope.keys() != null) {
            Set<String> keys = scope.keys();
            if (keys.size() != 1) {
                return null;
            }
            written = keys.iterator().next();
        }
        Map<String, String> all = headers;
        for (Map.Entry<String, String> header : scope.headers().entrySet()) {
            if (!headers.containsKey(header.getKey())) {
                if (all == headers) {
                    all = new LinkedHashMap<>(headers);
                }
                all.put(header.getKey(), header.getValue());
            }
        }
        return new Allowed(written, all);
    }

    private static List<Grant> matching(List<Grant> grants, String topic) {
        List<Grant> found = new ArrayList<>(2);
        for (Grant grant : grants) {
            if (grant.topics().matches(topic)) {
                found.add(grant);
            }
        }
        return found;
    }
}
