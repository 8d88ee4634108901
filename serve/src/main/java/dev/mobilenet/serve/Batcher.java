package dev.mobilenet.serve;

import dev.mobilenet.model.Engine;
import dev.mobilenet.model.Session;
import dev.mobilenet.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Dynamic batching for one model: admitted requests (at most {@code maxQueue} at once, counted from admission to
 * answer) put their preprocessed images in a queue; one thread takes the first, waits up to {@code maxDelayMs}
 * for more until {@code maxBatch} images, drops the jobs whose client has gone, and runs one engine call per
 * output kind and input size. The engine gives every image the same bits alone or in a batch.
 */
final class Batcher implements AutoCloseable {
    /** What a job wants back per image. */
    enum Output { LOGITS, PRE_LOGITS }

    /** n preprocessed NCHW images of h x w; the result holds n rows of the output. */
    static final class Job {
        final float[] x;
        final int n;
        final int h;
        final int w;
        final Output output;
        final BooleanSupplier alive;
        final CompletableFuture<float[]> result = new CompletableFuture<>();

        Job(float[] x, int n, int h, int w, Output output, BooleanSupplier alive) {
            this.x = x;
            this.n = n;
            this.h = h;
            this.w = w;
            this.output = output;
            this.alive = alive;
        }
    }

    /** The job's client went away before its batch ran. */
    static final class ClientGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGone() {
            super("the client went away", null, false, false);
        }
    }

    private final String model;
    private final Engine engine;
    private final int classes;
    private final int embedDim;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int maxQueue;
    private final ServerMetrics metrics;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private Job carried;
    private float[] xbuf = new float[0];
    private float[] ybuf = new float[0];

    Batcher(String model, Engine engine, int classes, int embedDim, ServeConfig cfg, ServerMetrics metrics) {
        this.model = model;
        this.engine = engine;
        this.classes = classes;
        this.embedDim = embedDim;
        this.maxBatch = cfg.maxBatch();
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(cfg.maxDelayMs());
        this.maxQueue = cfg.maxQueue();
        this.metrics = metrics;
        metrics.queueDepth(model, admitted);
        this.thread = new Thread(this::loop, "mobilenet-batcher-" + model);
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes a place in the queue; false when {@code maxQueue} requests are already admitted. */
    boolean admit() {
        if (admitted.incrementAndGet() > maxQueue) {
            admitted.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives the place back (the request was answered or failed). */
    void leave() {
        admitted.decrementAndGet();
    }

    int admitted() {
        return admitted.get();
    }

    CompletableFuture<float[]> submit(Job job) {
        if (closed) {
            job.result.completeExceptionally(new HttpError(503, "the server is stopping"));
        } else {
            queue.add(job);
        }
        return job.result;
    }

    private void loop() {
        List<Job> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.clear();
                Job first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int images = first.n;
                long deadline = System.nanoTime() + maxDelayNanos;
                while (images < maxBatch) {
                    long left = deadline - System.nanoTime();
                    Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (images + next.n > maxBatch) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    images += next.n;
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failRemaining(batch);
    }

    private void failRemaining(List<Job> batch) {
        List<Job> rest = new ArrayList<>(batch);
        if (carried != null) {
            rest.add(carried);
        }
        queue.drainTo(rest);
        for (Job j : rest) {
            j.result.completeExceptionally(new HttpError(503, "the server is stopping"));
        }
    }

    private void run(List<Job> batch) {
        Map<String, List<Job>> groups = new LinkedHashMap<>();
        for (Job j : batch) {
            if (!j.alive.getAsBoolean()) {
                metrics.dropped(model);
                j.result.completeExceptionally(new ClientGone());
                continue;
            }
            groups.computeIfAbsent(j.output + " " + j.h + "x" + j.w, k -> new ArrayList<>()).add(j);
        }
        for (List<Job> g : groups.values()) {
            try {
                runGroup(g);
            } catch (RuntimeException | Error e) {
                for (Job j : g) {
                    j.result.completeExceptionally(e);
                }
            }
        }
    }

    private void runGroup(List<Job> g) {
        Job head = g.get(0);
        int per = 3 * head.h * head.w;
        int n = 0;
        for (Job j : g) {
            n += j.n;
        }
        int d = head.output == Output.LOGITS ? classes : embedDim;
        xbuf = grow(xbuf, n * per);
        ybuf = grow(ybuf, n * d);
        int at = 0;
        for (Job j : g) {
            System.arraycopy(j.x, 0, xbuf, at * per, j.n * per);
            at += j.n;
        }
        forward(head.output, n, head.h, head.w, d);
        metrics.batch(model, n);
        at = 0;
        for (Job j : g) {
            j.result.complete(Arrays.copyOfRange(ybuf, at * d, (at + j.n) * d));
            at += j.n;
        }
    }

    private void forward(Output output, int n, int h, int w, int d) {
        if (engine instanceof Session s) {
            if (output == Output.LOGITS) {
                s.logits(xbuf, n, h, w, ybuf);
            } else {
                s.preLogits(xbuf, n, h, w, ybuf);
            }
            return;
        }
        Tensor x = new Tensor(new int[] {n, 3, h, w}, Arrays.copyOf(xbuf, n * 3 * h * w));
        Tensor y = output == Output.LOGITS ? engine.logits(x) : engine.preLogits(x);
        System.arraycopy(y.data(), 0, ybuf, 0, n * d);
    }

    private static float[] grow(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failRemaining(List.of());
        engine.close();
    }
}
