package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches of a {@link SampleSource}, decoded and augmented on a pool of worker threads that work a bounded
 * number of batches ahead of the consumer.
 *
 * <p>Determinism: the epoch's order is a permutation drawn from (seed, epoch); sample {@code i} is transformed
 * with its own {@link Rng} from (seed, epoch, i) and batch {@code b}'s mixup from (seed, epoch, b). Batches are
 * handed out in order, so every run with the same seed gives the same batches whatever the number of threads.
 *
 * <p>Unreadable files: with {@link LoaderOptions#skipBad()} (training), a sample whose {@code load} throws a
 * {@link MobileNetException} is reported once to the {@link BadSampleListener} and counted
 * ({@link #badSamples()}), and replaced by the next readable sample in dataset order (index + 1, + 2, ...,
 * wrapping), whose label comes with it; this keeps batch shapes and the run going and is the same on every run.
 * Without it (evaluation) the exception reaches the consumer from {@link Epoch#next()}.
 *
 * <p>{@link #close()} stops the threads (they are daemon threads, named {@code mobilenet-data-*}).
 */
public final class DataLoader implements AutoCloseable {
    private static final long STREAM_ORDER = 1;
    private static final long STREAM_SAMPLE = 2;
    private static final long STREAM_MIX = 3;
    private static final AtomicInteger LOADERS = new AtomicInteger();

    /** Told once per sample that could not be loaded (from a worker thread). */
    @FunctionalInterface
    public interface BadSampleListener {
        void onBadSample(int index, String what, MobileNetException error);
    }

    private final SampleSource source;
    private final LoaderOptions options;
    private final BadSampleListener listener;
    private final ExecutorService pool;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Set<Integer> bad = ConcurrentHashMap.newKeySet();
    private final AtomicLong badCount = new AtomicLong();
    private volatile boolean closed;

    public DataLoader(SampleSource source, LoaderOptions options) {
        this(source, options, (i, what, e) -> { });
    }

    public DataLoader(SampleSource source, LoaderOptions options, BadSampleListener listener) {
        if (source.size() == 0) {
            throw new MobileNetException("the dataset is empty");
        }
        if (options.dropLast() && options.batchSize() > source.size()) {
            throw new MobileNetException("batch size " + options.batchSize() + " is larger than the " + source.size()
                    + " samples, and the last partial batch is dropped: no batch at all");
        }
        if (options.mixup() != null && options.mixup().numClasses() != source.numClasses()) {
            throw new MobileNetException("mixup is set for " + options.mixup().numClasses() + " classes, the data has "
                    + source.numClasses());
        }
        this.source = source;
        this.options = options;
        this.listener = listener;
        int id = LOADERS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "mobilenet-data-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
    }

    public SampleSource source() {
        return source;
    }

    public LoaderOptions options() {
        return options;
    }

    /** Batches in one epoch. */
    public int batchesPerEpoch() {
        int n = source.size();
        int b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** Distinct samples that failed to load so far. */
    public long badSamples() {
        return badCount.get();
    }

    /** The sample order of an epoch. */
    public int[] order(int epoch) {
        int n = source.size();
        if (!options.shuffle()) {
            int[] p = new int[n];
            Arrays.setAll(p, i -> i);
            return p;
        }
        return Rng.of(options.seed(), STREAM_ORDER, epoch, 0).permutation(n);
    }

    /** Starts an epoch; close it (or read it to the end) before starting the next. */
    public Epoch epoch(int epoch) {
        if (closed) {
            throw new IllegalStateException("data loader is closed");
        }
        return new Epoch(epoch);
    }

    /** One pass over the data, batch by batch. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int total;
        private final ArrayDeque<Future<Batch>> window = new ArrayDeque<>();
        private int submitted;
        private int taken;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.total = batchesPerEpoch();
            fill();
        }

        private void fill() {
            int ahead = Math.max(options.prefetch(), options.workers());
            while (submitted < total && window.size() < ahead) {
                int b = submitted++;
                window.add(pool.submit(() -> build(epoch, b, order)));
            }
        }

        @Override
        public boolean hasNext() {
            return taken < total;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Future<Batch> f = window.poll();
            taken++;
            try {
                Batch batch = f.get();
                fill();
                return batch;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new MobileNetException("interrupted while waiting for a batch", e);
            } catch (ExecutionException e) {
                close();
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new MobileNetException("loading a batch failed: " + c, c);
            } catch (CancellationException e) {
                throw new IllegalStateException("epoch was closed", e);
            }
        }

        /** Cancels the batches prepared ahead. */
        @Override
        public void close() {
            for (Future<Batch> f : window) {
                f.cancel(true);
            }
            window.clear();
            taken = total;
        }
    }

    private Batch build(int epoch, int b, int[] order) {
        int bs = options.batchSize();
        int start = b * bs;
        int n = Math.min(bs, order.length - start);
        int c = source.channels();
        int h = source.height();
        int w = source.width();
        int per = c * h * w;
        float[] images = new float[Math.multiplyExact(n, per)];
        int[] labels = new int[n];
        int[] indices = new int[n];
        for (int k = 0; k < n; k++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException();
            }
            int index = order[start + k];
            int used = loadOne(epoch, index, images, k * per);
            labels[k] = source.label(used);
            indices[k] = used;
        }
        float[] targets = null;
        if (options.mixup() != null) {
            targets = options.mixup().apply(images, n, c, h, w, labels, Rng.of(options.seed(), STREAM_MIX, epoch, b));
        }
        return new Batch(images, n, c, h, w, labels, targets, source.numClasses(), indices);
    }

    /** Loads {@code index} or, when it cannot be read and skipping is on, the next readable one; returns it. */
    private int loadOne(int epoch, int index, float[] out, int offset) {
        int size = source.size();
        for (int step = 0; step < size; step++) {
            int i = (index + step) % size;
            if (step > 0 && bad.contains(i)) {
                continue;
            }
            try {
                source.load(i, Rng.of(options.seed(), STREAM_SAMPLE, epoch, i), out, offset);
                return i;
            } catch (MobileNetException e) {
                if (!options.skipBad()) {
                    throw e;
                }
                if (bad.add(i)) {
                    badCount.incrementAndGet();
                    listener.onBadSample(i, source.describe(i), e);
                }
            }
        }
        throw new MobileNetException("none of the " + size + " samples could be loaded");
    }

    /** Stops the worker threads and waits until they have exited (up to 10 s). */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("data loader threads did not stop within 10 s");
            }
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    throw new IllegalStateException("data loader thread " + t.getName() + " did not exit");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
