package io.passerelle.fanout;

import java.util.Arrays;
import java.util.function.BiConsumer;

import io.passerelle.protocol.ChannelFilter;
import io.passerelle.protocol.FrameCodec;
import io.passerelle.protocol.FrameSink;
import io.passerelle.protocol.ServerFrame;

/**
 * One subscription of one socket to one channel, named by the id of its {@code subscribe}: the records of the
 * channel its filter passes. It remembers, per partition, the next offset it expects, so that whichever reader hands
 * it a record (a history read, then the shared reader), it never sees a record twice or out of order. Readers call
 * it from their own threads; the monitor orders them.
 */
public final class Subscription {

    private final String id;
    private final String channel;
    private final RecordMatcher matcher;
    private final String groupName;
    private final byte[] eventHead;
    private final FrameSink sink;
    /** The next offset expected per partition, -1 where any is new; an array: it is read for every record. */
    private long[] nextOffsets = new long[0];
    private boolean closed;
    private boolean holdsReader;
    private boolean released;
    private GroupMember group;
    private BiConsumer<Throwable, Boolean> ending;
    /** Set and cleared by the shared reader's thread only: the subscription is in this poll's flush list. */
    private boolean toFlush;

    Subscription(String id, String channel, ChannelFilter filter, String groupName, FrameSink sink) {
        this.id = id;
        this.channel = channel;
        this.groupName = groupName;
        this.matcher = new RecordMatcher(filter);
        this.eventHead = FrameCodec.eventHead(id);
        this.sink = sink;
    }

    /** The id of the {@code subscribe} that made it; its events carry it. */
    public String id() {
        return id;
    }

    public String channel() {
        return channel;
    }

    /** The records it receives: the client's filter, within the grant. */
    public ChannelFilter filter() {
        return matcher.filter();
    }

    /** The consumer group it reads in, as the client named it, or null for a shared read. */
    public String groupName() {
        return groupName;
    }

    RecordMatcher matcher() {
        return matcher;
    }

    synchronized void startAt(int partition, long offset) {
        expect(partition, offset);
    }

    /** The next offset expected on the partition, or -1 when any offset is new to this subscription. */
    synchronized long nextOffset(int partition) {
        return partition < nextOffsets.length ? nextOffsets[partition] : -1;
    }

    private void expect(int partition, long offset) {
        if (partition >= nextOffsets.length) {
            long[] grown = Arrays.copyOf(nextOffsets, partition + 1);
            Arrays.fill(grown, nextOffsets.length, grown.length, -1);
            nextOffsets = grown;
        }
        nextOffsets[partition] = offset;
    }

    /**
     * Queues the record's frame unless this subscription has seen it already or filters it out; true when it
     * queued one.
     */
    synchronized boolean offer(EventFrame frame) {
        if (closed) {
            return false;
        }
        int partition = frame.record().partition();
        long offset = frame.record().offset();
        if (offset < nextOffset(partition)) {
            return false;
        }
        expect(partition, offset + 1);
        if (!matcher.matches(frame.record())) {
            return false;
        }
        sink.sendEvent(eventHead, frame.body());
        return true;
    }

    /**
     * Queues the record's frame if it passes the filter, without the offset check: a consumer group may hand a
     * member records again (after a rebalance, from the last commit), and that redelivery is wanted.
     */
    synchronized void offerAlways(EventFrame frame) {
        if (!closed && matcher.matches(frame.record())) {
            sink.sendEvent(eventHead, frame.body());
        }
    }

    /** Sends the events offered since the last flush. */
    void flush() {
        toFlush = false;
        sink.flushEvents();
    }

    /** For the shared reader: true the first time in a poll, when the subscription joins its flush list. */
    boolean markToFlush() {
        if (toFlush) {
            return false;
        }
        toFlush = true;
        return true;
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

    /** Detaches the group membership, once: the second call returns null. */
    synchronized GroupMember detachGroup() {
        GroupMember member = group;
        group = null;
        return member;
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

    @Override
    public String toString() {
        return "Subscription[" + id + " on " + channel + "]";
    }
}
