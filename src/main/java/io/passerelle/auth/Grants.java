package io.passerelle.auth;

import java.util.List;

/**
 * What one connection may do: the topics it may publish to and subscribe to.
 */
public record Grants(List<TopicPattern> publish, List<TopicPattern> subscribe) {

    public static final Grants NONE = new Grants(List.of(), List.of());

    public Grants {
        publish = List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
    }

    public boolean mayPublish(String topic) {
        return anyMatches(publish, topic);
    }

    public boolean maySubscribe(String topic) {
        return anyMatches(subscribe, topic);
    }

    public boolean isEmpty() {
        return publish.isEmpty() && subscribe.isEmpty();
    }

    private static boolean anyMatches(List<TopicPattern> patterns, String topic) {
        for (TopicPattern pattern : patterns) {
            if (pattern.matches(topic)) {
                return true;
            }
        }
        return false;
    }
}
