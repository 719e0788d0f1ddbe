package io.passerelle.kafka;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One Kafka consumer and the one thread that uses it: every reader of the gateway is one of these. The consumer is
 * built on that thread (never on an event loop or under a lock of the caller), and other threads reach it only
 * through commands, which run between two turns of the loop, so that whatever a command does happens at a precise
 * position in the stream. What a turn does (poll and dispatch, mostly) is its {@link Body}'s.
 * <p>
 * A consumer is single-threaded: only the loop's thread touches it, except {@code wakeup}, which is how commands and
 * {@link #stop()} cut a poll short.
 */
public final class ConsumerLoop implements Runnable {

    /** What a loop does with its consumer; every method runs on the loop's thread. */
    public interface Body {

        /** Before the commands of each turn: for example, follow the topic's partitions. */
        default void prepare(Consumer<byte[], byte[]> consumer) {
        }

        /** One turn, after the commands queued so far ran: typically one poll and its dispatch. */
        void turn(Consumer<byte[], byte[]> consumer);

        /**
         * A turn, a preparation or the consumer's construction failed. True to go on after a pause of
         * {@link ConsumerLoop#RETRY_PAUSE}, false to end the loop.
         */
        boolean failed(RuntimeException failure);

        /** After the loop ended and its consumer closed. */
        default void closed() {
        }
    }

    public static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Supplier<Consumer<byte[], byte[]>> factory;
    private final Body body;
    private final Queue<Command<?>> commands = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running = true;
    /** Set before the last commands are failed: a command queued after that fails at once. */
    private volatile boolean finished;

    /**
     * @param name the thread's name, after {@code passerelle-}, when the loop runs on a thread of its own
     * @param factory builds the consumer, on the loop's thread
     */
    public ConsumerLoop(String name, Supplier<Consumer<byte[], byte[]>> factory, Body body) {
        this.name = name;
        this.factory = factory;
        this.body = body;
    }

    /** Runs the loop on a daemon thread of its own. */
    public void start() {
        Thread own = new Thread(this, "passerelle-" + name);
        own.setDaemon(true);
        own.start();
    }

    /** Runs the loop on the calling thread (a pool's, for instance) until it ends. */
    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            consumer = factory.get();
        } catch (RuntimeException e) {
            running = false;
            body.failed(e);
            finish();
            return;
        }
        try {
            while (running && !Thread.currentThread().isInterrupted()) {
                try {
                    body.prepare(consumer);
                    runCommands();
                    if (running) {
                        body.turn(consumer);
                    }
                } catch (WakeupException e) {
                    // A command or stop(); the next turn runs the commands.
                } catch (RuntimeException e) {
                    if (!body.failed(e)) {
                        break;
                    }
                    idle(RETRY_PAUSE);
                }
            }
        } finally {
            running = false;
            try {
                consumer.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                // Interrupted while closing (the pool shut down): the loop ends all the same.
                LOG.debugf("The %s consumer did not close cleanly: %s", name, e);
            } finally {
                finish();
            }
        }
    }

    private void finish() {
        finished = true;
        failQueuedCommands();
        try {
            body.closed();
        } finally {
            ended.complete(null);
        }
    }

    /**
     * Runs the action on the loop's thread before the next turn and completes with its result, or exceptionally
     * with what it threw, or when the loop ends first.
     */
    public <T> CompletableFuture<T> call(Function<Consumer<byte[], byte[]>, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        commands.add(new Command<>(action, result));
        if (finished) {
            failQueuedCommands();
        } else {
            wakeup();
        }
        return result;
    }

    /** Runs the action on the loop's thread before the next turn. */
    public CompletableFuture<Void> execute(java.util.function.Consumer<Consumer<byte[], byte[]>> action) {
        return call(consumer -> {
            action.accept(consumer);
            return null;
        });
    }

    /** Ends the loop after its current turn; callable from any thread, the loop's own included. */
    public void stop() {
        running = false;
        wakeup();
    }

    /** Completes once the loop ended and its consumer closed. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** For a body: waits up to the given time, or until a command or a stop arrives. */
    public void idle(Duration duration) {
        if (running && commands.isEmpty()) {
            LockSupport.parkNanos(this, duration.toNanos());
        }
    }

    private void failQueuedCommands() {
        Command<?> command;
        while ((command = commands.poll()) != null) {
            command.result.completeExceptionally(new IllegalStateException("the " + name + " loop stopped"));
        }
    }

    private void wakeup() {
        Consumer<byte[], byte[]> polling = consumer;
        if (polling != null) {
            polling.wakeup();
        }
        Thread looping = thread;
        if (looping != null) {
            LockSupport.unpark(looping);
        }
    }

    private void runCommands() {
        Command<?> command;
        while ((command = commands.poll()) != null) {
            command.run(consumer);
        }
    }

    private record Command<T>(Function<Consumer<byte[], byte[]>, T> action, CompletableFuture<T> result) {

        void run(Consumer<byte[], byte[]> consumer) {
            while (true) {
                try {
                    result.complete(action.apply(consumer));
                    return;
                } catch (WakeupException e) {
                    // A wakeup meant for an earlier poll: commands run to their end regardless.
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                    return;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ConsumerLoop[" + name + "]";
    }
}
