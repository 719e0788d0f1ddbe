package io.passerelle.exchange;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.passerelle.fanout.FanoutException;
import io.passerelle.protocol.ErrorCode;
import io.passerelle.protocol.OffsetOutOfRangeException;
import io.passerelle.protocol.ProtocolException;
import io.passerelle.schema.SchemaException;

/**
 * Maps a failure of Kafka or of the fan-out to what the client is told: the request's id, a stable code and a
 * message without internals. The one place where Kafka's and the fan-out's failures meet the wire.
 */
final class WireErrors {

    private WireErrors() {
    }

    static ProtocolException toProtocol(Throwable failure, String requestId) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProtocolException protocol) {
            return protocol;
        }
        if (cause instanceof FanoutException refused) {
            return fromFanout(refused, requestId);
        }
        if (cause instanceof SchemaException schema) {
            return new ProtocolException(schema.kind() == SchemaException.Kind.UNAVAILABLE
                    ? ErrorCode.UNAVAILABLE
                    : ErrorCode.SCHEMA_MISMATCH, requestId, schema.getMessage());
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

    private static ProtocolException fromFanout(FanoutException refused, String requestId) {
        return switch (refused.reason()) {
            case OFFSETS_OUT_OF_RANGE -> new OffsetOutOfRangeException(requestId, refused.getMessage(),
                    refused.available());
            case NO_SUCH_PARTITION, NOT_IN_A_GROUP -> new ProtocolException(ErrorCode.BAD_REQUEST, requestId,
                    refused.getMessage());
            case GROUP_LIMIT -> new ProtocolException(ErrorCode.LIMIT_EXCEEDED, requestId, refused.getMessage());
            case NOT_ASSIGNED -> new ProtocolException(ErrorCode.NOT_ASSIGNED, requestId, refused.getMessage());
            case CHANNEL_DELETED -> new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, requestId, refused.getMessage());
        };
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
