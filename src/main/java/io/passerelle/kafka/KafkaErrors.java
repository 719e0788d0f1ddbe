package io.passerelle.kafka;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.passerelle.protocol.ErrorCode;
import io.passerelle.protocol.ProtocolException;

/**
 * Maps a Kafka client failure to what the client is told: a stable code and a message without internals.
 */
public final class KafkaErrors {

    private KafkaErrors() {
    }

    public static ProtocolException toProtocol(Throwable failure, String requestId) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProtocolException protocol) {
            return protocol;
        }
        if (cause instanceof UnknownTopicOrPartitionException || cause instanceof InvalidTopicException) {
            return new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, requestId, "no such channel");
        }
        if (cause instanceof TimeoutException || cause instanceof RetriableException
                || cause instanceof java.util.concurrent.TimeoutException) {
            return new ProtocolException(ErrorCode.UNAVAILABLE, requestId, "Kafka did not answer in time");
        }
        if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
            return new ProtocolException(ErrorCode.TOO_LARGE, requestId, "the record is larger than Kafka accepts");
        }
        if (cause instanceof AuthorizationException) {
            return new ProtocolException(ErrorCode.INTERNAL, requestId, "the gateway is not authorised in Kafka",
                    cause);
        }
        return new ProtocolException(ErrorCode.INTERNAL, requestId, "internal error", cause);
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
