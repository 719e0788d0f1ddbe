package io.passerelle.client;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A running subscription: named by its id, ended by {@link #unsubscribe()}. */
public final class Subscription {
    private final PasserelleClient client;
    private final String id;
    private final String channel;
    private final Map<String, Object> narrowedTo;

    Subscription(PasserelleClient client, String id, String channel, Map<String, Object> narrowedTo) {
        this.client = client;
        this.id = id;
        this.channel = channel;
        this.narrowedTo = narrowedTo;
    }

    public String id() {
        return id;
    }

    public String channel() {
        return channel;
    }

    /** The filter in force when a scoped grant narrowed the subscription (in the subscribe's terms), else null. */
    public Map<String, Object> narrowedTo() {
        return narrowedTo;
    }

    /** Partition to the next offset this client would resume the subscription from. */
    public Map<Integer, Long> positions() {
        return client.positions(id);
    }

    /** Ends this subscription only; completes once the gateway confirmed (at once when offline). */
    public CompletableFuture<Void> unsubscribe() {
        return client.unsubscribeOne(id);
    }

    @Override
    public String toString() {
        return "Subscription[" + id + " " + channel + "]";
    }
}
