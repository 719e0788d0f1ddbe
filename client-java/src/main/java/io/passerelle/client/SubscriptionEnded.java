package io.passerelle.client;

/**
 * A subscription ended without the application asking: its channel was deleted, a refreshed token no longer grants
 * it, its resume was refused ({@code offset_out_of_range}), its group failed. No event of it follows.
 */
public final class SubscriptionEnded {
    private final String subscription;
    private final String channel;
    private final PasserelleException cause;

    SubscriptionEnded(String subscription, String channel, PasserelleException cause) {
        this.subscription = subscription;
        this.channel = channel;
        this.cause = cause;
    }

    public String subscription() {
        return subscription;
    }

    public String channel() {
        return channel;
    }

    /** Why: {@link PasserelleException#code()} is the protocol's code. */
    public PasserelleException cause() {
        return cause;
    }

    @Override
    public String toString() {
        return "SubscriptionEnded[" + subscription + " " + channel + " " + cause.code() + "]";
    }
}
