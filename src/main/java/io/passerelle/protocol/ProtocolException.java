package io.passerelle.protocol;

/**
 * A client-visible failure: becomes an {@code error} frame with a stable code and a plain message.
 */
public class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final String requestId;

    public ProtocolException(ErrorCode code, String requestId, String message) {
        this(code, requestId, message, null);
    }

    /** The cause stays in the gateway's log; the client sees only the code and the message. */
    public ProtocolException(ErrorCode code, String requestId, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code id} of the frame that failed, or null when it could not be read. */
    public String requestId() {
        return requestId;
    }
}
