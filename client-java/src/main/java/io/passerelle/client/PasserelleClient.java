package io.passerelle.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * A connection to a Passerelle gateway that survives network changes and replica restarts: it reconnects with
 * exponential backoff and full jitter, resumes every subscription from the offsets it has seen (no gap, no
 * duplicate), pairs publishes with their acks, and refreshes the token when the gateway warns it is expiring.
 *
 * <pre>{@code
 * PasserelleClient client = PasserelleClient.builder("wss://gw.example.com/ws").tokenSupplier(auth::token).build();
 * client.subscribe("prices", event -> show(event.data()), SubscribeOptions.create().key("EURUSD"));
 * client.publish("orders", Map.of("sku", "A", "qty", 3)).thenAccept(ack -> log(ack.offset()));
 * }</pre>
 *
 * Threads: every listener and every returned future completes on the callback executor (one thread of the
 * client's unless {@link Builder#callbackExecutor} gives one), one callback at a time, in the order the gateway sent
 * the frames. Methods may be called from any thread and never block. The connection's reader (an OkHttp thread)
 * only parses frames; the client's timer thread opens connections, asks the token supplier and runs timeouts.
 */
public final class PasserelleClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PasserelleClient.class.getName());
    private static final String SUBSCRIBE = "subscribe";

    private final String url;
    private final Supplier<String> tokens;
    private final boolean refreshable;
    private final Duration requestTimeout;
    private final Backoff backoff;
    private final int maxPendingRequests;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final ScheduledExecutorService timers;
    private final ExecutorService ownCallbackThread;
    private final CallbackQueue callbacks;

    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Message>> messageListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Message>> replyListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Assignment>> assignmentListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SubscriptionEnded>> endListeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    // Guarded by lock.
    private ConnectionState state = ConnectionState.IDLE;
    private WebSocket socket;
    private int attempt;
    private long sequence;
    private boolean closed;
    private ScheduledFuture<?> reconnect;
    private int lastCloseCode;
    private final CompletableFuture<Void> firstOpen = new CompletableFuture<>();
    /** Requests by id: sent on the current socket, or waiting for one. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, SubscriptionState> subscriptions = new LinkedHashMap<>();

    private PasserelleClient(Builder builder) {
        this.url = builder.url;
        this.tokens = builder.tokenSupplier;
        this.refreshable = builder.refreshable;
        this.requestTimeout = builder.requestTimeout;
        this.backoff = new Backoff(builder.initialDelay, builder.maxDelay);
        this.maxPendingRequests = builder.maxPendingRequests;
        this.ownsHttp = builder.http == null;
        this.http = ownsHttp ? new OkHttpClient.Builder().pingInterval(Duration.ofSeconds(30)).build() : builder.http;
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("passerelle-client-timers"));
        Executor callbackExecutor = builder.callbackExecutor;
        this.ownCallbackThread = callbackExecutor == null
                ? Executors.newSingleThreadExecutor(daemon("passerelle-client-callbacks"))
                : null;
        this.callbacks = new CallbackQueue(callbackExecutor == null ? ownCallbackThread : callbackExecutor,
                builder.maxQueuedCallbacks);
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    // --- the application's side -------------------------------------------------------------------------------

    /** Opens the connection (publish and subscribe do it when needed); completes once it first opened. */
    public CompletableFuture<Void> connect() {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return failed(new PasserelleException(PasserelleException.CLOSED, "the client is closed"));
            }
            if (state == ConnectionState.IDLE) {
                setState(ConnectionState.CONNECTING, out);
                timers.execute(this::open);
            }
        }
        out.forEach(callbacks::post);
        return firstOpen.thenApply(ignored -> null);
    }

    /**
     * Publishes {@code data} ({@link Json} values, or {@link Json#raw} text) to a channel; completes with the
     * {@link Ack} once Kafka holds the record, or fails with a {@link PasserelleException}: the gateway's code,
     * or {@code timeout} / {@code disconnected} (publish again: the record may or may not be written).
     */
    public CompletableFuture<Ack> publish(String channel, Object data) {
        return publish(channel, data, PublishOptions.create());
    }

    public CompletableFuture<Ack> publish(String channel, Object data, PublishOptions options) {
        Objects.requireNonNull(channel, "channel");
        Duration timeout = options.timeout() == null ? requestTimeout : options.timeout();
        return request(id -> Frames.publish(id, channel, data, options), "p", timeout).thenApply(Frames::ack);
    }

    /** Subscribes to every record appended to the channel from now on. */
    public CompletableFuture<Subscription> subscribe(String channel, Consumer<Event> listener) {
        return subscribe(channel, listener, SubscribeOptions.create());
    }

    /**
     * Subscribes {@code listener} to the records of a channel that pass the options' filter; completes once the
     * gateway confirmed (while offline, once a connection opened). After a reconnect the subscription resumes from
     * the offsets seen, by itself.
     */
    public CompletableFuture<Subscription> subscribe(String channel, Consumer<Event> listener,
            SubscribeOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(listener, "listener");
        SubscriptionState subscription;
        synchronized (lock) {
            if (closed) {
                return failed(new PasserelleException(PasserelleException.CLOSED, "the client is closed"));
            }
            String id = options.id();
            if (id == null) {
                do {
                    id = "s" + (++sequence);
                } while (subscriptions.containsKey(id) || pending.containsKey(id));
            } else if (subscriptions.containsKey(id)) {
                return failed(new PasserelleException(PasserelleException.ALREADY_SUBSCRIBED,
                        "a subscription named '" + id + "' exists"));
            }
            subscription = new SubscriptionState(id, channel, listener, options);
            subscriptions.put(id, subscription);
            if (state == ConnectionState.OPEN) {
                sendSubscribe(subscription);
            }
        }
        connect();
        return subscription.confirmed.thenApply(handle -> handle);
    }

    /** Ends every subscription of the channel. */
    public CompletableFuture<Void> unsubscribe(String channel) {
        boolean any;
        synchronized (lock) {
            any = subscriptions.values().removeIf(subscription -> subscription.channel.equals(channel));
        }
        return any ? afterUnsubscribe("channel", channel) : CompletableFuture.completedFuture(null);
    }

    CompletableFuture<Void> unsubscribeOne(String id) {
        boolean known;
        synchronized (lock) {
            known = subscriptions.remove(id) != null;
        }
        return known ? afterUnsubscribe("subscription", id) : CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Void> afterUnsubscribe(String field, String value) {
        synchronized (lock) {
            if (state != ConnectionState.OPEN) {
                return CompletableFuture.completedFuture(null); // a new socket will not subscribe it again
            }
        }
        return request(id -> Frames.unsubscribe(id, field, value), "u", requestTimeout).thenApply(answer -> null);
    }

    /**
     * For a group subscription: every record of the partition up to and including {@code offset} is processed.
     * {@code subscription} names it when the client holds several group subscriptions of the channel (else null).
     */
    public CompletableFuture<Void> commit(String channel, int partition, long offset, String subscription) {
        return request(id -> Frames.commit(id, channel, partition, offset, subscription), "c", requestTimeout)
                .thenApply(answer -> null);
    }

    /** Asks the gateway for a pong: completes with the round trip. */
    public CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        return request(Frames::ping, "q", requestTimeout)
                .thenApply(answer -> Duration.ofNanos(System.nanoTime() - start));
    }

    /** Partition to the next offset this client would resume a subscription (by id) from. */
    public Map<Integer, Long> positions(String subscriptionId) {
        synchronized (lock) {
            SubscriptionState subscription = subscriptions.get(subscriptionId);
            return subscription == null
                    ? Collections.emptyMap()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(subscription.offsets));
        }
    }

    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * The close code of the last connection that ended: 0 before any, 1006 when the network failed, the HTTP
     * status (401, 403, 429, 503) when the gateway refused the upgrade.
     */
    public int lastCloseCode() {
        synchronized (lock) {
            return lastCloseCode;
        }
    }

    /** Listens to connection states; the listener hears the current one first. */
    public Runnable onState(Consumer<ConnectionState> listener) {
        stateListeners.add(listener);
        ConnectionState now = state();
        callbacks.post(() -> listener.accept(now));
        return () -> stateListeners.remove(listener);
    }

    /** Records a backend addressed to this user or connection through the outbox. */
    public Runnable onMessage(Consumer<Message> listener) {
        return listen(messageListeners, listener);
    }

    /** A backend's answers to publishes made with {@code reply(true)}: {@link Message#id()} is the publish's. */
    public Runnable onReply(Consumer<Message> listener) {
        return listen(replyListeners, listener);
    }

    /** Partitions a group subscription owns after each rebalance. */
    public Runnable onAssigned(Consumer<Assignment> listener) {
        return listen(assignmentListeners, listener);
    }

    /** Subscriptions the gateway ended (channel deleted, grant withdrawn, resume refused, group failed). */
    public Runnable onSubscriptionEnded(Consumer<SubscriptionEnded> listener) {
        return listen(endListeners, listener);
    }

    /**
     * Closes for good: no reconnect; requests still unanswered fail with {@code closed}. The client's own threads
     * stop (an OkHttpClient or executor given to the builder stays the application's).
     */
    @Override
    public void close() {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (reconnect != null) {
                reconnect.cancel(false);
            }
            if (socket != null) {
                socket.close(1000, "bye");
                socket = null;
            }
            PasserelleException closing = new PasserelleException(PasserelleException.CLOSED, "the client closed");
            for (Pending request : pending.values()) {
                request.cancelTimer();
                out.add(() -> request.answer.completeExceptionally(closing));
            }
            pending.clear();
            for (SubscriptionState subscription : subscriptions.values()) {
                out.add(() -> subscription.confirmed.completeExceptionally(closing));
            }
            subscriptions.clear();
            out.add(() -> firstOpen.completeExceptionally(closing));
            setState(ConnectionState.CLOSED, out);
        }
        out.forEach(callbacks::post);
        timers.shutdownNow();
        if (ownCallbackThread != null) {
            ownCallbackThread.shutdown(); // after what was posted above
        }
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    // --- connection ------------------------------------------------------------------------------------------

    /** On the timer thread: the token supplier may take a moment. */
    private void open() {
        String token;
        try {
            token = tokens.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the token supplier failed; retrying after a backoff", e);
            connectionLost(null, 0);
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            Request request = new Request.Builder().url(url).header("Authorization", "Bearer " + token).build();
            socket = http.newWebSocket(request, new Listener());
        }
    }

    private final class Listener extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            List<Runnable> out = new ArrayList<>();
            synchronized (lock) {
                if (webSocket != socket) {
                    return;
                }
                attempt = 0;
                setState(ConnectionState.OPEN, out);
                out.add(() -> firstOpen.complete(null));
                // Every subscription first, resumed from the offsets seen; then what waited for a connection.
                subscriptions.values().forEach(PasserelleClient.this::sendSubscribe);
                for (Pending request : new ArrayList<>(pending.values())) {
                    if (!request.sent) {
                        send(request);
                    }
                }
            }
            out.forEach(callbacks::post);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            List<Runnable> out = new ArrayList<>();
            synchronized (lock) {
                if (webSocket != socket) {
                    return;
                }
                Map<String, Object> frame;
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> parsed = (Map<String, Object>) Json.parse(text);
                    frame = parsed;
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "ignored a frame that is not a JSON object", e);
                    return;
                }
                onFrame(frame, out);
            }
            out.forEach(callbacks::post); // outside the lock: it may wait for the application
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            connectionLost(webSocket, code);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            connectionLost(webSocket, code);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
            LOG.log(Level.FINE, "the connection failed", failure);
            connectionLost(webSocket, response == null ? 1006 : response.code());
        }
    }

    /**
     * Every end of a connection, a 1001 from a draining replica as much as a 4401 for an expired token or a lost
     * network, ends in a reconnect after a backoff; the token supplier is asked again each time.
     */
    private void connectionLost(WebSocket lost, int code) {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            if (lost != socket || closed) {
                return;
            }
            socket = null;
            lastCloseCode = code;
            PasserelleException dropped = new PasserelleException(PasserelleException.DISCONNECTED,
                    "the connection closed (" + code + ") before the answer");
            for (Pending request : new ArrayList<>(pending.values())) {
                if (!request.sent) {
                    continue; // never reached the gateway: sent on the next connection
                }
                pending.remove(request.id);
                request.cancelTimer();
                if (request.subscription == null) {
                    out.add(() -> request.answer.completeExceptionally(dropped));
                } // a subscribe is sent again on the next connection
            }
            attempt++;
            setState(ConnectionState.RECONNECTING, out);
            reconnect = timers.schedule(this::open, backoff.delayMillis(attempt), TimeUnit.MILLISECONDS);
        }
        out.forEach(callbacks::post);
    }

    // --- frames ----------------------------------------------------------------------------------------------

    private void onFrame(Map<String, Object> frame, List<Runnable> out) {
        String type = Frames.type(frame);
        if (type == null) {
            return;
        }
        switch (type) {
            case "event" :
                onEvent(frame, out);
                return;
            case "token_expiring" :
                if (refreshable) {
                    timers.execute(this::refreshToken);
                }
                return;
            case "message" :
                Message message = Frames.message(frame);
                messageListeners.forEach(listener -> out.add(() -> listener.accept(message)));
                return;
            case "reply" :
                Message reply = Frames.message(frame);
                replyListeners.forEach(listener -> out.add(() -> listener.accept(reply)));
                return;
            case "assigned" :
                Assignment assignment = Frames.assignment(frame);
                assignmentListeners.forEach(listener -> out.add(() -> listener.accept(assignment)));
                return;
            case "error" :
                String id = Frames.string(frame, "id");
                String ended = Frames.string(frame, "subscription");
                // A subscription the gateway ended after subscribed names it; an answer to a request does not.
                if (ended != null && subscriptions.containsKey(ended) && !pending.containsKey(id)) {
                    end(subscriptions.remove(ended), Frames.error(frame), out);
                    return;
                }
                settle(id, null, Frames.error(frame), out);
                return;
            default :
                settle(Frames.string(frame, "id"), frame, null, out);
        }
    }

    private void onEvent(Map<String, Object> frame, List<Runnable> out) {
        SubscriptionState subscription = subscriptions.get(Frames.string(frame, "subscription"));
        if (subscription == null) {
            return; // ended by the application: its last events may still be on their way
        }
        Event event = Frames.event(frame);
        if (subscription.group == null) {
            Long next = subscription.offsets.get(event.partition());
            if (next != null && event.offset() < next) {
                return; // seen before the reconnect: never twice
            }
            subscription.offsets.put(event.partition(), event.offset() + 1);
        }
        out.add(() -> subscription.listener.accept(event));
    }

    private void settle(String id, Map<String, Object> answer, PasserelleException error, List<Runnable> out) {
        Pending request = id == null ? null : pending.remove(id);
        if (request == null) {
            return;
        }
        request.cancelTimer();
        SubscriptionState subscription = request.subscription;
        if (subscription == null) {
            out.add(error == null
                    ? () -> request.answer.complete(answer)
                    : () -> request.answer.completeExceptionally(error));
        } else if (subscriptions.get(subscription.id) != subscription) {
            return; // unsubscribed meanwhile
        } else if (error != null) {
            subscriptions.remove(subscription.id);
            if (subscription.handle == null) {
                out.add(() -> subscription.confirmed.completeExceptionally(error));
            } else {
                end(subscription, error, out); // a resume refused, e.g. offset_out_of_range
            }
        } else {
            subscribed(subscription, answer, out);
        }
    }

    private void subscribed(SubscriptionState subscription, Map<String, Object> answer, List<Runnable> out) {
        if (subscription.group == null) {
            // Every partition's next offset, also those not seen yet: an exact resume.
            Frames.offsetsIn(answer).forEach(subscription.offsets::putIfAbsent);
        }
        if (subscription.handle == null) {
            subscription.handle = new Subscription(this, subscription.id, subscription.channel,
                    Frames.filter(answer));
            Subscription handle = subscription.handle;
            out.add(() -> subscription.confirmed.complete(handle));
        }
    }

    private void end(SubscriptionState subscription, PasserelleException cause, List<Runnable> out) {
        SubscriptionEnded ended = new SubscriptionEnded(subscription.id, subscription.channel, cause);
        if (subscription.handle == null) {
            out.add(() -> subscription.confirmed.completeExceptionally(cause));
        }
        endListeners.forEach(listener -> out.add(() -> listener.accept(ended)));
    }

    /** The subscribe's id is the subscription's: a new socket knows no other subscription of that name. */
    private void sendSubscribe(SubscriptionState subscription) {
        Object from = subscription.group == null && !subscription.offsets.isEmpty()
                ? subscription.offsets
                : subscription.from;
        Pending request = new Pending(subscription.id, Json.text(Frames.subscribe(subscription.id,
                subscription.channel, subscription.filter, from, subscription.group)), subscription);
        pending.put(request.id, request);
        request.timer = timers.schedule(() -> timedOut(request), requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        send(request);
    }

    private void refreshToken() {
        String token;
        try {
            token = tokens.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the token supplier failed; the gateway closes with 4401 at expiry, then the"
                    + " client reconnects", e);
            return;
        }
        request(id -> Frames.refresh(id, token), "r", requestTimeout).whenComplete((answer, error) -> {
            if (error != null) {
                LOG.log(Level.WARNING, "the gateway refused the refreshed token", error);
            }
        });
    }

    // --- requests --------------------------------------------------------------------------------------------

    private interface FrameMaker {
        Map<String, Object> frame(String id);
    }

    private CompletableFuture<Map<String, Object>> request(FrameMaker maker, String prefix, Duration timeout) {
        Pending request;
        synchronized (lock) {
            if (closed) {
                return failed(new PasserelleException(PasserelleException.CLOSED, "the client is closed"));
            }
            if (pending.size() >= maxPendingRequests) {
                return failed(new PasserelleException(PasserelleException.BUFFER_FULL,
                        pending.size() + " requests await an answer (maxPendingRequests)"));
            }
            String id;
            do {
                id = prefix + (++sequence);
            } while (pending.containsKey(id) || subscriptions.containsKey(id));
            request = new Pending(id, Json.text(maker.frame(id)), null);
            pending.put(id, request);
            request.timer = timers.schedule(() -> timedOut(request), timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (state == ConnectionState.OPEN) {
                send(request);
            }
        }
        connect();
        return request.answer; // completed on the callback executor, and so are its dependents
    }

    /** Under the lock, with a socket open. */
    private void send(Pending request) {
        request.sent = socket.send(request.text); // false: the socket is closing; sent again on the next one
    }

    private void timedOut(Pending request) {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            if (pending.get(request.id) != request) {
                return;
            }
            pending.remove(request.id);
            PasserelleException timeout = new PasserelleException(PasserelleException.TIMEOUT,
                    "no answer within " + requestTimeout.toMillis() + " ms");
            SubscriptionState subscription = request.subscription;
            if (subscription == null) {
                out.add(() -> request.answer.completeExceptionally(timeout));
            } else if (subscriptions.get(subscription.id) == subscription) {
                subscriptions.remove(subscription.id);
                end(subscription, timeout, out);
            }
        }
        out.forEach(callbacks::post);
    }

    private void setState(ConnectionState next, List<Runnable> out) {
        if (state == next) {
            return;
        }
        state = next;
        stateListeners.forEach(listener -> out.add(() -> listener.accept(next)));
    }

    private <T> Runnable listen(List<Consumer<T>> listeners, Consumer<T> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private static <T> CompletableFuture<T> failed(PasserelleException error) {
        CompletableFuture<T> future = new CompletableFuture<>();
        future.completeExceptionally(error);
        return future;
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A request awaiting its answer. */
    private static final class Pending {
        final String id;
        final String text;
        final SubscriptionState subscription;
        final CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        boolean sent;

        Pending(String id, String text, SubscriptionState subscription) {
            this.id = id;
            this.text = text;
            this.subscription = subscription;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /** What the client remembers of a subscription, to resume it on every new connection. */
    private static final class SubscriptionState {
        final String id;
        final String channel;
        final Consumer<Event> listener;
        final Map<String, Object> filter;
        final Object from;
        final String group;
        /** Partition to the next offset to read; not kept for groups, whose position is the group's commit. */
        final Map<Integer, Long> offsets = new LinkedHashMap<>();
        final CompletableFuture<Subscription> confirmed = new CompletableFuture<>();
        Subscription handle;

        SubscriptionState(String id, String channel, Consumer<Event> listener, SubscribeOptions options) {
            this.id = id;
            this.channel = channel;
            this.listener = listener;
            this.filter = new LinkedHashMap<>(options.filter());
            this.from = options.from();
            this.group = options.group();
        }
    }

    /** How a client connects, times out and buffers. */
    public static final class Builder {
        private final String url;
        private Supplier<String> tokenSupplier;
        private boolean refreshable;
        private Executor callbackExecutor;
        private OkHttpClient http;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration initialDelay = Duration.ofMillis(250);
        private Duration maxDelay = Duration.ofSeconds(15);
        private int maxPendingRequests = 1000;
        private int maxQueuedCallbacks = 10_000;

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        /** A fixed token (it cannot be refreshed: the connection closes with 4401 at its expiry). */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            this.tokenSupplier = () -> token;
            this.refreshable = false;
            return this;
        }

        /** Asked before each connect and when the gateway sends {@code token_expiring}; may block briefly. */
        public Builder tokenSupplier(Supplier<String> supplier) {
            this.tokenSupplier = Objects.requireNonNull(supplier, "supplier");
            this.refreshable = true;
            return this;
        }

        /** Where listeners and futures run (one at a time, in order); a thread of the client's by default. */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = executor;
            return this;
        }

        /** An OkHttpClient to share (TLS, proxies, DNS); the client makes its own by default. */
        public Builder okHttpClient(OkHttpClient client) {
            this.http = client;
            return this;
        }

        /** How long a publish, subscribe, commit or unsubscribe waits for its answer (10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** The reconnect backoff: the first ceiling (250 ms) and the highest (15 s); full jitter under it. */
        public Builder reconnectDelays(Duration initial, Duration max) {
            this.initialDelay = initial;
            this.maxDelay = max;
            return this;
        }

        /** Requests awaiting an answer (1,000); beyond it a request fails at once with {@code buffer_full}. */
        public Builder maxPendingRequests(int max) {
            this.maxPendingRequests = max;
            return this;
        }

        /**
         * Callbacks waiting for the callback executor (10,000); when full, reading from the gateway waits, so that
         * TCP slows the gateway down.
         */
        public Builder maxQueuedCallbacks(int max) {
            this.maxQueuedCallbacks = max;
            return this;
        }

        public PasserelleClient build() {
            if (tokenSupplier == null) {
                throw new IllegalStateException("give a token or a token supplier");
            }
            return new PasserelleClient(this);
        }
    }
}
