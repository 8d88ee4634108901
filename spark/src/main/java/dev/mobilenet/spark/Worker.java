package dev.mobilenet.spark;

import dev.mobilenet.model.Session;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one task runs on: an engine session of {@code threads} threads and, for more than one thread, a pool of as
 * many threads that decodes the next batch while the session runs this one. A one-thread task (Spark's default: one
 * task per core) decodes on its own thread, between engine calls, so that it keeps exactly one core busy and the
 * executor's cores are filled by tasks rather than oversubscribed. Used by one task at a time; kept by
 * {@link ExecutorModels} between tasks.
 */
final class Worker {
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final Session session;
    private final ExecutorService decoders;
    private final int threads;
    /** Decoded batches, two so that one fills while the other runs; grown on demand. */
    float[] current = new float[0];
    float[] next = new float[0];
    float[] out = new float[0];

    Worker(Session session, int threads) {
        this.session = session;
        this.threads = threads;
        int id = COUNT.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.decoders = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mobilenet-spark-decode-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    Session session() {
        return session;
    }

    /** Runs {@code decode} on the decode pool, or now on this thread for a one-thread worker. */
    void decode(FutureTask<String> decode) {
        if (decoders == null) {
            decode.run();
        } else {
            decoders.execute(decode);
        }
    }

    int threads() {
        return threads;
    }

    void ensure(int batchValues, int outValues) {
        if (current.length < batchValues) {
            current = new float[batchValues];
            next = new float[batchValues];
        }
        if (out.length < outValues) {
            out = new float[outValues];
        }
    }

    void swap() {
        float[] t = current;
        current = next;
        next = t;
    }

    void close() {
        if (decoders != null) {
            decoders.shutdownNow();
        }
        session.close();
    }
}
