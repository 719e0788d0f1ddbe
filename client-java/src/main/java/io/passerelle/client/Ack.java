package io.passerelle.client;

/** Kafka holds the published record: where. */
public final class Ack {
    private final String id;
    private final String channel;
    private final int partition;
    private final long offset;

    Ack(String id, String channel, int partition, long offset) {
        this.id = id;
        this.channel = channel;
        this.partition = partition;
        this.offset = offset;
    }

    /** The publish's id: a {@link Message#id() reply} to a publish with {@code reply(true)} names it. */
    public String id() {
        return id;
    }

    public String channel() {
        return channel;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    @Override
    public String toString() {
        return "Ack[" + channel + "/" + partition + "@" + offset + "]";
    }
}
