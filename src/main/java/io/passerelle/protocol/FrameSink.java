package io.passerelle.protocol;

/**
 * Where one socket's frames go: written by several threads (event loop, readers, the producer's callback), never
 * blocking any of them. Like a transport's write, write-many and close, and no more.
 */
public interface FrameSink {

    /** Queues the frame and sends it soon, after every frame queued before it. */
    void send(ServerFrame frame);

    /** Queues a frame already encoded by {@link FrameCodec}, of the given {@code type}; as {@link #send}. */
    void sendEncoded(String type, byte[] utf8);

    /**
     * Queues an {@code event} frame already encoded by {@link FrameCodec}: the subscription's
     * {@link FrameCodec#eventHead head}, then the record's {@link FrameCodec#eventBody body} (the same body goes to
     * every subscription it matches). It leaves with the next {@link #flushEvents()} or {@link #send}. Readers queue
     * a whole poll's records, then flush once.
     */
    void sendEvent(byte[] head, byte[] body);

    /** Sends the queued events. */
    void flushEvents();

    /** True while the receiver is far behind; when every subscriber of a topic is, its reader pauses. */
    boolean isBackedUp();
}
