package io.passerelle.fanout;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import io.passerelle.protocol.FrameSink;
import io.passerelle.protocol.ServerFrame;

/**
 * One socket's subscription to one channel. It remembers, per partition, the next offset it expects, so that
 * whichever reader hands it a record (a history read, then the shared reader), it never sees a record twice or
 * out of order. Readers call it from their own threads; the monitor orders them.
 */
public final class Subscription {

    private final String channel;
    private final byte[] key;
    private final FrameSink sink;
    private final Map<Integer, Long> nextOffsets = new HashMap<>();
    private boolean closed;
    private boolean holdsReader;
    private boolean released;
    private GroupMember group;
    private BiConsumer<Throwable, Boolean> ending;

    Subscription(String channel, byte[] key, FrameSink sink) {
        this.channel = channel;
        this.key = key;
        this.sink = sink;
    }

    public String channel() {
        return channel;
    }

    synchronized void startAt(int partition, long offset) {
        nextOffsets.put(partition, offset);
    }

    /** The next offset expected on the partition, or -1 when any offset is new to this subscription. */
    synchronized long nextOffset(int partition) {
        return nextOffsets.getOrDefault(partition, -1L);
    }

    /** Queues the record's frame unless this subscription has seen it already or filters it out. */
    synchronized void offer(EventFrame frame) {
        if (closed) {
            return;
        }
        int partition = frame.record().partition();
        long offset = frame.record().offset();
        Long next = nextOffsets.get(partition);
        if (next != null && offset < next) {
            return;
        }
        nextOffsets.put(partition, offset + 1);
        if (key == null || Arrays.equals(key, frame.record().key())) {
            sink.sendEvent(frame.utf8());
        }
    }

    /**
     * Queues the record's frame if it passes the key filter, without the offset check: a consumer group may hand a
     * member records again (after a rebalance, from the last commit), and that redelivery is wanted.
     */
    synchronized void offerAlways(EventFrame frame) {
        if (!closed && (key == null || Arrays.equals(key, frame.record().key()))) {
            sink.sendEvent(frame.utf8());
        }
    }

    /** Sends the events offered since the last flush. */
    void flush() {
        sink.flushEvents();
    }

    /** Sends a frame of this subscription's own, such as a group assignment. */
    synchronized void sendToSink(ServerFrame frame) {
        if (!closed) {
            sink.send(frame);
        }
    }

    /** The consumer-group membership behind this subscription, or null for a shared read. */
    synchronized GroupMember group() {
        return group;
    }

    synchronized void attachGroup(GroupMember member) {
        this.group = member;
    }

    /** What ends the subscription on the fan-out's initiative: its subscriber's failure callback. */
    synchronized void endWith(BiConsumer<Throwable, Boolean> failed) {
        this.ending = failed;
    }

    /** Ends a running subscription for a reason of the fan-out's (its topic deleted): the subscriber is told. */
    void end(Throwable reason) {
        BiConsumer<Throwable, Boolean> failed;
        synchronized (this) {
            if (closed || ending == null) {
                return;
            }
            failed = ending;
        }
        failed.accept(reason, true);
    }

    /** After this returns, no further frame of this subscription reaches the sink. */
    synchronized void close() {
        closed = true;
    }

    synchronized void markHoldsReader() {
        holdsReader = true;
    }

    /** True once only, and only if it held a reader: its hold on the reader is given back exactly once. */
    synchronized boolean markReleased() {
        if (!holdsReader || released) {
            return false;
        }
        released = true;
        return true;
    }

    boolean isBackedUp() {
        return sink.isBackedUp();
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
