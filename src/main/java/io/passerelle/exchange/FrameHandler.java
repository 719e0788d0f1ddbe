package io.passerelle.exchange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.passerelle.auth.Grants;
import io.passerelle.direct.OutboxConfig;
import io.passerelle.drain.Drain;
import io.passerelle.fanout.Fanout;
import io.passerelle.fanout.SubscribeCallbacks;
import io.passerelle.fanout.Subscription;
import io.passerelle.kafka.InstanceId;
import io.passerelle.kafka.RecordPublisher;
import io.passerelle.kafka.TopicDirectory;
import io.passerelle.limits.LimitsConfig;
import io.passerelle.metrics.GatewayMetrics;
import io.passerelle.protocol.ChannelFilter;
import io.passerelle.protocol.ClientFrame;
import io.passerelle.protocol.CloseCode;
import io.passerelle.protocol.ErrorCode;
import io.passerelle.protocol.FrameCodec;
import io.passerelle.protocol.FrameParser;
import io.passerelle.protocol.GatewayHeaders;
import io.passerelle.protocol.ProtocolConfig;
import io.passerelle.protocol.ProtocolException;
import io.passerelle.protocol.ServerFrame;
import io.passerelle.schema.RecordFormats;
import io.passerelle.session.ClientSession;
import io.passerelle.session.SessionConfig;
import io.passerelle.tracing.Trace;
import io.passerelle.tracing.Tracing;

/**
 * Carries out the frames of one socket: publish into Kafka, subscribe and unsubscribe, ping. Never blocks the
 * calling thread; every request is answered, with its result or with an error frame.
 */
@ApplicationScoped
public class FrameHandler {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private static final Logger LOG = Logger.getLogger(FrameHandler.class);

    private final FrameParser parser;
    private final RecordPublisher publisher;
    private final TopicDirectory directory;
    private final Fanout fanout;
    private final RecordFormats formats;
    private final SessionConfig sessionConfig;
    private final byte[] instance;
    private final byte[] outboxTopic;
    private final GatewayMetrics metrics;
    private final Drain drain;
    private final TokenRefresh tokens;
    private final Tracing tracing;
    private final int maxRateLimitedInARow;

    public FrameHandler(ObjectMapper mapper, ProtocolConfig protocol, RecordPublisher publisher,
            TopicDirectory directory, Fanout fanout, RecordFormats formats,
            SessionConfig sessionConfig, InstanceId instanceId, OutboxConfig outbox,
            GatewayMetrics metrics, Drain drain, TokenRefresh tokens, LimitsConfig limits, Tracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.drain = drain;
        this.tokens = tokens;
        this.maxRateLimitedInARow = limits.maxRateLimitedInARow();
        this.parser = new FrameParser(mapper, protocol);
        this.publisher = publisher;
        this.directory = directory;
        this.fanout = fanout;
        this.formats = formats;
        this.sessionConfig = sessionConfig;
        this.instance = instanceId.value().getBytes(StandardCharsets.UTF_8);
        this.outboxTopic = outbox.topic().getBytes(StandardCharsets.UTF_8);
    }

    /** One text message of the socket, as the UTF-8 bytes received at {@code receivedNanos}. */
    public void onText(ClientSession session, byte[] text, long receivedNanos) {
        session.countFrameIn();
        ClientFrame frame;
        try {
            frame = parser.parse(text);
        } catch (ProtocolException e) {
            metrics.frameIn(GatewayMetrics.INVALID, text.length);
            reply(session, e);
            return;
        }
        metrics.frameIn(frame.type(), text.length);
        try {
            handle(session, frame, receivedNanos);
        } catch (ProtocolException e) {
            if (frame instanceof ClientFrame.Publish) {
                metrics.publishFailed(e.code().wire());
            }
            reply(session, e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Unexpected failure handling a frame of connection %s", session.connectionId());
            session.outbound().send(new ServerFrame.Error(null, ErrorCode.INTERNAL, "internal error"));
        }
    }

    /** Binary frames have no meaning in protocol v1. */
    public void onBinary(ClientSession session, int length) {
        session.countFrameIn();
        metrics.frameIn(GatewayMetrics.INVALID, length);
        session.outbound()
                .send(new ServerFrame.Error(null, ErrorCode.BAD_REQUEST,
                        "binary frames are not supported; send JSON text"));
    }

    private void handle(ClientSession session, ClientFrame frame, long receivedNanos) {
        if (frame instanceof ClientFrame.Publish publish) {
            publish(session, publish, receivedNanos);
        } else if (frame instanceof ClientFrame.Subscribe subscribe) {
            subscribe(session, subscribe);
        } else if (frame instanceof ClientFrame.Commit commit) {
            commit(session, commit);
        } else if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
            unsubscribe(session, unsubscribe);
        } else if (frame instanceof ClientFrame.Refresh refresh) {
            tokens.refresh(session, refresh);
        } else if (frame instanceof ClientFrame.Ping ping) {
            session.outbound().send(new ServerFrame.Pong(ping.id()));
        }
    }

    private void publish(ClientSession session, ClientFrame.Publish frame, long receivedNanos) {
        if (drain.isDraining()) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, frame.id(),
                    "this gateway is shutting down; reconnect and publish again");
        }
        int refusedInARow = session.acquirePublish(receivedNanos);
        if (refusedInARow > maxRateLimitedInARow) {
            session.close(CloseCode.RATE_LIMIT_ABUSE);
            return;
        }
        if (refusedInARow > 0) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, frame.id(), "too many publishes; slow down");
        }
        Grants.PublishDecision decision = session.principal().grants().publish(frame.channel(), frame.key(),
                frame.headers());
        if (decision instanceof Grants.Refused refused) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, frame.id(), refused.message());
        }
        Grants.Allowed allowed = (Grants.Allowed) decision;
        String replyCorrelation = frame.reply() ? UUID.randomUUID().toString() : null;
        if (replyCorrelation != null) {
            session.pendingReplies().await(replyCorrelation, frame.id());
        }
        // Counted from here until answered: a drain waits for every publish the gateway accepted.
        session.publishAccepted();
        Trace trace = tracing.publish(frame.channel(), session.connectionId(), allowed.headers());
        if (directory.knownPartitionCount(frame.channel(), receivedNanos) > 0 && !formats.encodes(frame.channel())
                && session.noPublishWaiting()) {
            // The common case, sent now without a future: the topic is known and nothing of this socket is waiting.
            send(session, frame, allowed, RecordFormats.Written.asSent(allowed.key(), frame.value()),
                    replyCorrelation, receivedNanos, trace);
            return;
        }
        // Otherwise after this socket's earlier publishes, once the topic is known, and encoded with the subjects'
        // schemas where the topic has them (as sent where it has none): the socket's next publish waits for it.
        session.afterPreviousPublishes(() -> directory.partitionCount(frame.channel())
                .handle((count, failure) -> writable(session, frame, count, failure, trace))
                .thenCompose(writable -> writable
                        ? formats.encode(frame.channel(), allowed.key(), frame.value())
                                .<Void>handle((written, refused) -> {
                                    if (refused != null) {
                                        publishFailed(session, WireErrors.toProtocol(refused, frame.id()), trace);
                                    } else {
                                        send(session, frame, allowed, written, replyCorrelation, receivedNanos,
                                                trace);
                                    }
                                    return null;
                                })
                        : DONE));
    }

    /** True when the channel can take the publish; else the publish is answered with why not. */
    private boolean writable(ClientSession session, ClientFrame.Publish frame, Integer partitions,
            Throwable failure, Trace trace) {
        if (failure != null) {
            publishFailed(session, WireErrors.toProtocol(failure, frame.id()), trace);
            return false;
        }
        if (partitions == 0) {
            publishFailed(session, unknownChannel(frame.id(), frame.channel()), trace);
            return false;
        }
        return true;
    }

    private void send(ClientSession session, ClientFrame.Publish frame, Grants.Allowed allowed,
            RecordFormats.Written written, String replyCorrelation, long receivedNanos, Trace trace) {
        ProducerRecord<byte[], byte[]> record = toRecord(session, frame.channel(), allowed, written, trace);
        if (replyCorrelation != null) {
            record.headers().add(GatewayHeaders.REPLY_TO, outboxTopic);
            record.headers().add(GatewayHeaders.CORRELATION_ID, replyCorrelation.getBytes(StandardCharsets.UTF_8));
        }
        byte[] ackHead = FrameCodec.ackHead(frame.id(), frame.channel());
        publisher.publish(record, (metadata, error) -> {
            if (error == null) {
                metrics.publishAcked(receivedNanos);
                trace.acked(metadata.partition(), metadata.offset());
                session.outbound().sendEncoded(ServerFrame.ACK,
                        FrameCodec.ack(ackHead, metadata.partition(), metadata.offset()));
                session.publishAnswered();
            } else {
                publishFailed(session, WireErrors.toProtocol(error, frame.id()), trace);
            }
        });
    }

    private ProducerRecord<byte[], byte[]> toRecord(ClientSession session, String channel, Grants.Allowed allowed,
            RecordFormats.Written written, Trace trace) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> header : allowed.headers().entrySet()) {
            if (!trace.active() || !isTraceContext(header.getKey())) {
                headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        trace.inject((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
        headers.add(GatewayHeaders.USER, session.principal().subject().getBytes(StandardCharsets.UTF_8));
        headers.add(GatewayHeaders.CONNECTION, session.connectionId().getBytes(StandardCharsets.UTF_8));
        headers.add(GatewayHeaders.INSTANCE, instance);
        return new ProducerRecord<>(channel, null, written.key(), written.value(), headers);
    }

    /** The client's trace context headers, which a traced publish replaces by its own span's. */
    private static boolean isTraceContext(String header) {
        return header.equals(Tracing.TRACEPARENT) || header.equals(Tracing.TRACESTATE);
    }

    private void subscribe(ClientSession session, ClientFrame.Subscribe frame) {
        String channel = frame.channel();
        ChannelFilter filter = session.principal().grants().subscribeFilter(channel, frame.filter());
        if (filter == null) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, frame.id(),
                    "subscribing to '" + channel + "' with this filter is not granted");
        }
        for (Subscription existing : session.subscriptionsOf(channel)) {
            if (existing.filter().equals(filter) && Objects.equals(existing.groupName(), frame.group())) {
                throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, frame.id(), "already subscribed to '"
                        + channel + "' with this filter, as '" + existing.id() + "'");
            }
        }
        if (session.subscriptionCount() >= sessionConfig.maxSubscriptions()) {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, frame.id(),
                    "at most " + sessionConfig.maxSubscriptions() + " subscriptions per connection");
        }
        Subscription subscription = fanout.newSubscription(frame.id(), channel, filter, frame.group(),
                session.outbound());
        if (!session.addSubscription(subscription)) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, frame.id(),
                    "a subscription named '" + frame.id() + "' is running; name each subscribe differently");
        }
        ChannelFilter narrowedTo = filter.equals(frame.filter()) ? null : filter;
        SubscribeCallbacks callbacks = new SubscribeCallbacks(
                offsets -> session.outbound()
                        .send(new ServerFrame.Subscribed(frame.id(), channel, offsets, narrowedTo)),
                (failure, started) -> {
                    if (!session.removeSubscription(subscription)) {
                        return; // ended already, by the client or by an earlier failure
                    }
                    fanout.unsubscribe(subscription);
                    ProtocolException wire = WireErrors.toProtocol(failure, frame.id());
                    if (started) {
                        // After subscribed, the request is answered: the end of the subscription names it.
                        logInternal(session, wire);
                        session.outbound().send(new ServerFrame.SubscriptionEnded(frame.id(), frame.id(), channel,
                                wire.code(), wire.getMessage() + "; the subscription ended"));
                    } else {
                        reply(session, wire);
                    }
                });
        directory.partitionCount(channel).whenComplete((partitions, failure) -> {
            if (failure == null && partitions > 0 && frame.group() != null) {
                fanout.startInGroup(subscription, frame.from(), callbacks);
            } else if (failure == null && partitions > 0) {
                fanout.start(subscription, frame.from(), callbacks);
            } else {
                callbacks.failed().accept(failure != null ? failure : unknownChannel(frame.id(), channel), false);
            }
        });
    }

    private void commit(ClientSession session, ClientFrame.Commit frame) {
        Subscription subscription = groupSubscription(session, frame);
        fanout.commit(subscription, frame.partition(), frame.offset()).whenComplete((ok, failure) -> {
            if (failure == null) {
                session.outbound().send(
                        new ServerFrame.Committed(frame.id(), frame.channel(), frame.partition(), frame.offset()));
            } else {
                reply(session, WireErrors.toProtocol(failure, frame.id()));
            }
        });
    }

    /** The subscription a commit names, or the socket's one group subscription of the channel. */
    private static Subscription groupSubscription(ClientSession session, ClientFrame.Commit frame) {
        if (frame.subscription() != null) {
            Subscription named = session.subscription(frame.subscription());
            if (named == null || !named.channel().equals(frame.channel())) {
                throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, frame.id(),
                        "no subscription '" + frame.subscription() + "' on '" + frame.channel() + "'");
            }
            return named;
        }
        List<Subscription> ofChannel = session.subscriptionsOf(frame.channel());
        if (ofChannel.isEmpty()) {
            throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, frame.id(),
                    "not subscribed to '" + frame.channel() + "'");
        }
        List<Subscription> inGroups = ofChannel.stream().filter(each -> each.groupName() != null).toList();
        if (inGroups.size() > 1) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, frame.id(), "several group subscriptions on '"
                    + frame.channel() + "': name one with 'subscription'");
        }
        return inGroups.isEmpty() ? ofChannel.get(0) : inGroups.get(0);
    }

    private void unsubscribe(ClientSession session, ClientFrame.Unsubscribe frame) {
        List<Subscription> ending;
        if (frame.subscription() != null) {
            Subscription named = session.subscription(frame.subscription());
            if (named == null) {
                throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, frame.id(),
                        "no subscription '" + frame.subscription() + "'");
            }
            ending = List.of(named);
        } else {
            ending = session.subscriptionsOf(frame.channel());
            if (ending.isEmpty()) {
                throw new ProtocolException(ErrorCode.NOT_SUBSCRIBED, frame.id(),
                        "not subscribed to '" + frame.channel() + "'");
            }
        }
        List<String> ended = new ArrayList<>();
        for (Subscription subscription : ending) {
            if (session.removeSubscription(subscription)) {
                fanout.unsubscribe(subscription);
                ended.add(subscription.id());
            }
        }
        session.outbound().send(new ServerFrame.Unsubscribed(frame.id(), ending.get(0).channel(), ended));
    }

    /** The answer to an accepted publish that failed. */
    private void publishFailed(ClientSession session, ProtocolException failure, Trace trace) {
        metrics.publishFailed(failure.code().wire());
        trace.failed(failure.code().wire(), failure.getMessage());
        reply(session, failure);
        session.publishAnswered();
    }

    private static ProtocolException unknownChannel(String id, String channel) {
        return new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, id, "channel '" + channel + "' does not exist");
    }

    private static void reply(ClientSession session, ProtocolException failure) {
        logInternal(session, failure);
        session.outbound().send(ServerFrame.Error.of(failure));
    }

    private static void logInternal(ClientSession session, ProtocolException failure) {
        if (failure.code() == ErrorCode.INTERNAL) {
            LOG.warnf(failure.getCause(), "Internal error answered to connection %s: %s", session.connectionId(),
                    failure.getMessage());
        }
    }
}
