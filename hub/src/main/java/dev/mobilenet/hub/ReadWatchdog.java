package dev.mobilenet.hub;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A read timeout for a response body: java.net.http has none once the headers are in, so a stalled connection
 * would block forever. While the owning thread is inside a read for longer than the limit, the stream is closed
 * and the thread interrupted (JDK 17's body stream ignores a bare interrupt but then sees that it was closed and
 * throws); outside reads the thread is never interrupted, so file writes are not disturbed.
 */
final class ReadWatchdog implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-read-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Thread reader = Thread.currentThread();
    private final Closeable stream;
    private final long limitNanos;
    private final ScheduledFuture<?> task;
    private long readSince;
    private boolean fired;

    ReadWatchdog(Closeable stream, Duration limit) {
        this.stream = stream;
        this.limitNanos = limit.toNanos();
        long period = Math.max(20, Math.min(1000, limit.toMillis() / 4));
        this.task = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    synchronized void beforeRead() {
        readSince = System.nanoTime() | 1;
    }

    /**
     * Leaves a read that returned (or threw). Returns true when the watchdog fired during it; the interrupt it sent
     * is then cleared.
     */
    synchronized boolean afterRead() {
        readSince = 0;
        if (fired) {
            fired = false;
            Thread.interrupted();
            return true;
        }
        return false;
    }

    private synchronized void check() {
        if (readSince != 0 && !fired && System.nanoTime() - readSince > limitNanos) {
            fired = true;
            try {
                stream.close();
            } catch (IOException | RuntimeException e) {
                // The interrupt below still ends the wait on newer JDKs; the read then fails either way.
            }
            reader.interrupt();
        }
    }

    @Override
    public void close() {
        task.cancel(false);
        afterRead();
    }
}
