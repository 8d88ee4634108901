package dev.mobilenet.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that run one task at a time together with the calling thread, for splitting a
 * layer's work statically. Between tasks the workers spin briefly (layers follow each other within microseconds),
 * then park. Handing a task over allocates nothing.
 */
public final class WorkerPool implements AutoCloseable {
    /** A piece of parallel work: part {@code part} of {@code parts}. */
    public interface Task {
        void run(int part, int parts);
    }

    private static final long SPIN_NANOS = 200_000;

    private final Thread[] workers;
    private final int parts;
    private volatile Task task;
    private volatile int generation;
    private volatile boolean closed;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;

    /** @param name prefix of the worker threads' names, e.g. "mobilenet-worker" */
    public WorkerPool(int threads, String name) {
        this.parts = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            Thread t = new Thread(() -> loop(part), name + "-" + part);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    public int parts() {
        return parts;
    }

    /** Start of part {@code part} of {@code parts} when {@code count} items are split into contiguous ranges. */
    public static int from(int count, int part, int parts) {
        return (int) ((long) count * part / parts);
    }

    /** Runs {@code t} on every part, this thread taking part 0; returns when all parts are done. */
    public void run(Task t) {
        if (workers.length == 0) {
            t.run(0, 1);
            return;
        }
        task = t;
        pending.set(workers.length);
        generation++;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        Throwable own = null;
        try {
            t.run(0, parts);
        } catch (RuntimeException | Error e) {
            own = e;
        }
        while (pending.get() != 0) {
            Thread.onSpinWait();
        }
        task = null;
        Throwable f = failure;
        failure = null;
        if (own == null) {
            own = f;
        }
        if (own instanceof RuntimeException) {
            throw (RuntimeException) own;
        }
        if (own instanceof Error) {
            throw (Error) own;
        }
    }

    private void loop(int part) {
        int seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                task.run(part, parts);
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
