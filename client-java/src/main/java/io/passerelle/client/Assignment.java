package io.passerelle.client;

import java.util.List;

/** The partitions a group subscription owns after a rebalance. */
public final class Assignment {
    private final String subscription;
    private final String channel;
    private final List<Integer> partitions;

    Assignment(String subscription, String channel, List<Integer> partitions) {
        this.subscription = subscription;
        this.channel = channel;
        this.partitions = partitions;
    }

    public String subscription() {
        return subscription;
    }

    public String channel() {
        return channel;
    }

    public List<Integer> partitions() {
        return partitions;
    }

    @Override
    public String toString() {
        return "Assignment[" + subscription + " " + channel + " " + partitions + "]";
    }
}
