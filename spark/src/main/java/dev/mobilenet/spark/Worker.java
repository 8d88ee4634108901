package dev.mobilenet.spark;

import dev.mobilenet.model.Session;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one task runs on: an engine session and a pool that decodes the next batch while the session runs this one.
 * Used by one task at a time; kept by {@link ExecutorModels} between tasks.
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
        this.decoders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mobilenet-spark-decode-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    Session session() {
        return session;
    }

    ExecutorService decoders() {
        return decoders;
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
        decoders.shutdownNow();
        session.close();
    }
}
