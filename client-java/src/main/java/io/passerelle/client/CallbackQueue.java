package io.passerelle.client;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the application's callbacks one at a time, in order, on its executor. Bounded: when the application is
 * slower than the gateway, the connection's reader waits for room, so TCP slows the gateway down instead of the
 * heap growing (the gateway closes a socket that stays behind with 1008, and the client resumes).
 */
final class CallbackQueue {
    private static final Logger LOG = Logger.getLogger(CallbackQueue.class.getName());

    private final BlockingQueue<Runnable> tasks;
    private final Executor executor;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    CallbackQueue(Executor executor, int capacity) {
        this.executor = executor;
        this.tasks = new ArrayBlockingQueue<>(capacity);
    }

    /** Never called with a lock of the client held: it may wait for room. */
    void post(Runnable task) {
        try {
            tasks.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException closed) {
                scheduled.set(false); // the application's executor is shut down: nobody is listening any more
                tasks.clear();
            }
        }
    }

    private void drain() {
        try {
            for (Runnable task; (task = tasks.poll()) != null;) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a Passerelle client callback threw", e);
                }
            }
        } finally {
            scheduled.set(false);
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }
}
