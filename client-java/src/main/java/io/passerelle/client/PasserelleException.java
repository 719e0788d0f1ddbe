package io.passerelle.client;

import java.util.Collections;
import java.util.Map;

/**
 * An error answered by the gateway ({@link #code()} is the protocol's stable code: {@code forbidden},
 * {@code unavailable}, …, see docs/protocol.md) or raised by this client: {@link #TIMEOUT}, {@link #DISCONNECTED},
 * {@link #ALREADY_SUBSCRIBED}, {@link #BUFFER_FULL}, {@link #CLOSED}.
 */
public class PasserelleException extends RuntimeException {

    /** No answer within the request's timeout. */
    public static final String TIMEOUT = "timeout";
    /** The connection dropped before the answer: a publish may or may not have been written; publish again. */
    public static final String DISCONNECTED = "disconnected";
    /** This client already holds a subscription of that id. */
    public static final String ALREADY_SUBSCRIBED = "already_subscribed";
    /** More requests await an answer than {@code maxPendingRequests} allows: slow down. */
    public static final String BUFFER_FULL = "buffer_full";
    /** The client was closed. */
    public static final String CLOSED = "closed";

    private static final long serialVersionUID = 1L;

    private final String code;
    private final transient Map<String, Object> frame;

    public PasserelleException(String code, String message) {
        this(code, message, Collections.emptyMap());
    }

    PasserelleException(String code, String message, Map<String, Object> frame) {
        super(message);
        this.code = code;
        this.frame = frame;
    }

    /** The protocol's error code, or one of this client's. */
    public String code() {
        return code;
    }

    /** The gateway's whole error frame (for instance {@code available} of {@code offset_out_of_range}); empty when the client raised it. */
    public Map<String, Object> frame() {
        return frame;
    }

    @Override
    public String toString() {
        return "PasserelleException[" + code + "]: " + getMessage();
    }
}
