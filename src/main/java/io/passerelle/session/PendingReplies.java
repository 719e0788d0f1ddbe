package io.passerelle.session;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The publishes of one connection that await a backend's reply, by correlation id. Bounded: the oldest is
 * forgotten when it is full, so a backend that never answers cannot grow it.
 */
public final class PendingReplies {

    private final Map<String, String> requestIdByCorrelation;

    PendingReplies(int capacity) {
        this.requestIdByCorrelation = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void await(String correlationId, String requestId) {
        requestIdByCorrelation.put(correlationId, requestId);
    }

    /** The request id the correlation id answers, once; null when unknown or already answered. */
    public synchronized String take(String correlationId) {
        return requestIdByCorrelation.remove(correlationId);
    }
}
