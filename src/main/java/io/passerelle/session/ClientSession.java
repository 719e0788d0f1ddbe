package io.passerelle.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.passerelle.auth.Principal;
import io.passerelle.fanout.Subscription;
import io.passerelle.limits.TokenBucket;
import io.passerelle.protocol.CloseCode;
import io.passerelle.transport.Outbound;
import io.passerelle.transport.SocketCloser;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * The gateway's view of one open socket: who it is, where its frames go, what it is subscribed to.
 */
public final class ClientSession {

    private final WebSocketConnection connection;
    private final String id;
    private volatile Principal principal;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean expiryWarned;
    private final TokenBucket publishRate;
    private int rateLimitedInARow;
    private final Outbound outbound;
    private final Instant openedAt;
    private final String remoteAddress;
    private final PendingReplies pendingReplies;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong framesIn = new AtomicLong();
    private CompletableFuture<Void> publishTail = CompletableFuture.completedFuture(null);
    /** Publishes accepted and not answered yet. A field, not an object: sockets are many. */
    private volatile int unansweredPublishes;
    private static final AtomicIntegerFieldUpdater<ClientSession> UNANSWERED = AtomicIntegerFieldUpdater
            .newUpdater(ClientSession.class, "unansweredPublishes");

    ClientSession(String id, WebSocketConnection connection, Principal principal, Outbound outbound,
            int maxPendingReplies, TokenBucket publishRate) {
        this.id = id;
        this.connection = connection;
        this.publishRate = publishRate;
        this.principal = principal;
        this.outbound = outbound;
        this.openedAt = Instant.now();
        this.remoteAddress = connection.handshakeRequest().remoteAddress();
        this.pendingReplies = new PendingReplies(maxPendingReplies);
    }

    /** The gateway's id of the connection, which names its replica (see {@code ConnectionIds}). */
    public String connectionId() {
        return id;
    }

    /** A refreshed token's principal replaces the old one: same subject, new grants and expiry. */
    public void replacePrincipal(Principal refreshed) {
        this.principal = refreshed;
        this.expiryWarned = false;
    }

    /** Something arrived from the client: a frame or a pong. */
    public void touch(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** True the first time it is asked for the current token: the expiry warning is sent once per token. */
    public boolean markExpiryWarned() {
        if (expiryWarned) {
            return false;
        }
        expiryWarned = true;
        return true;
    }

    /**
     * Takes a publish token; returns the number of publishes refused in a row, 0 when this one may go.
     */
    public synchronized int acquirePublish(long nowNanos) {
        if (publishRate.tryAcquire(nowNanos)) {
            rateLimitedInARow = 0;
            return 0;
        }
        return ++rateLimitedInARow;
    }

    /**
     * Why the socket closed: the gateway's own reason when it closed it (the peer's answer may carry another code),
     * else what the transport reported.
     */
    public CloseReason closeReason(CloseReason reported) {
        CloseCode own = outbound.closedWith();
        return own != null ? SocketCloser.reasonOf(own) : reported;
    }

    public String user() {
        return principal.subject();
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public PendingReplies pendingReplies() {
        return pendingReplies;
    }

    public long framesIn() {
        return framesIn.get();
    }

    /** Closes the socket; the close callback then releases the session. */
    public void close(CloseCode code) {
        outbound.closeAfterQueued(code);
    }

    public Principal principal() {
        return principal;
    }

    public Outbound outbound() {
        return outbound;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /**
     * Runs the step after every step queued before it has finished: the socket's publishes reach the producer
     * in the order the client sent them, even when some wait for topic metadata and others do not.
     */
    public synchronized void afterPreviousPublishes(Supplier<CompletionStage<Void>> step) {
        if (publishTail.isDone()) {
            // Nothing of this socket is waiting: the step runs now, without a link in the chain.
            publishTail = step.get().toCompletableFuture();
        } else {
            publishTail = publishTail.thenCompose(ignored -> step.get());
        }
    }

    /** True when no publish of this socket is waiting for an earlier step: the next one may go at once. */
    public synchronized boolean noPublishWaiting() {
        return publishTail.isDone();
    }

    /** A publish was accepted: it is answered later, with an ack or an error. */
    public void publishAccepted() {
        UNANSWERED.incrementAndGet(this);
    }

    /** An accepted publish got its answer. */
    public void publishAnswered() {
        UNANSWERED.decrementAndGet(this);
    }

    public int unansweredPublishes() {
        return unansweredPublishes;
    }

    public long countFrameIn() {
        return framesIn.incrementAndGet();
    }

    /** Records the subscription unless its id names one already; returns false then. */
    public boolean addSubscription(Subscription subscription) {
        return subscriptions.putIfAbsent(subscription.id(), subscription) == null;
    }

    /** The subscription with this id, or null. */
    public Subscription subscription(String id) {
        return subscriptions.get(id);
    }

    /** The subscriptions to the channel, in no particular order. */
    public List<Subscription> subscriptionsOf(String channel) {
        List<Subscription> found = new ArrayList<>();
        for (Subscription subscription : subscriptions.values()) {
            if (subscription.channel().equals(channel)) {
                found.add(subscription);
            }
        }
        return found;
    }

    /** Removes it only if it is still recorded; false when it ended already. */
    public boolean removeSubscription(Subscription subscription) {
        return subscriptions.remove(subscription.id(), subscription);
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    /** The channels it is subscribed to, each once. */
    public Set<String> channels() {
        Set<String> channels = new TreeSet<>();
        subscriptions.values().forEach(subscription -> channels.add(subscription.channel()));
        return channels;
    }

    /** Removes and returns every subscription, for the close of the socket. */
    Iterable<Subscription> drainSubscriptions() {
        var all = Set.copyOf(subscriptions.values());
        all.forEach(this::removeSubscription);
        return all;
    }
}
