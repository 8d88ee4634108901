package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.model.Engine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Image files in, predictions or embeddings out: decoding and timm's eval transform run on a pool of threads, a batch
 * ahead of the engine, and the engine runs {@code batch} images per call. A file that cannot be read or decoded is
 * reported to the sink as a {@link Failure} and skipped; the others still run. Results arrive in file order.
 */
public final class ImageClassifier implements AutoCloseable {
    /** One ranked class: its index, its label (or the index as text) and its softmax probability. */
    public record Top(int index, String label, double probability) {
    }

    /** What happened to one file. */
    public sealed interface Outcome permits Prediction, Embedding, Failure {
        Path file();
    }

    /** The top classes of one image, most probable first. */
    public record Prediction(Path file, List<Top> top) implements Outcome {
    }

    /** The pre-logits embedding of one image. */
    public record Embedding(Path file, float[] vector) implements Outcome {
    }

    /** A file that could not be used, with the one-line reason. */
    public record Failure(Path file, String message) implements Outcome {
    }

    /** Receives outcomes in file order. */
    public interface Sink {
        void accept(Outcome outcome);
    }

    private final Engine engine;
    private final Preprocessor preprocessor;
    private final ImageDecoder decoder;
    private final List<String> labels;
    private final int batch;
    private final ExecutorService pool;

    /**
     * @param labels        class names in class order; empty for indices only
     * @param batch         images per engine call
     * @param decodeThreads threads decoding and preprocessing
     */
    public ImageClassifier(Engine engine, PreprocessConfig config, ImageDecoder decoder, List<String> labels,
                           int batch, int decodeThreads) {
        if (batch < 1 || decodeThreads < 1) {
            throw new MobileNetException("batch and decode threads must be at least 1, got " + batch + " and "
                    + decodeThreads);
        }
        this.engine = engine;
        this.preprocessor = new Preprocessor(config);
        this.decoder = decoder;
        this.labels = List.copyOf(labels);
        this.batch = batch;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "mobilenet-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Classifies {@code files}, giving each image's {@code topK} classes to {@code sink}. */
    public void classify(List<Path> files, int topK, Sink sink) {
        if (topK < 1) {
            throw new MobileNetException("top-k must be at least 1, got " + topK);
        }
        if (engine.numClasses() < 1) {
            throw new MobileNetException("the model has no classifier; use embeddings instead");
        }
        run(files, sink, topK);
    }

    /** The pooled pre-logits embedding of each image (timm's {@code forward_head(pre_logits=True)}). */
    public void embed(List<Path> files, Sink sink) {
        run(files, sink, 0);
    }

    private void run(List<Path> files, Sink sink, int topK) {
        int per = preprocessor.outputSize();
        int h = preprocessor.config().height();
        int w = preprocessor.config().width();
        if ((long) batch * per > Integer.MAX_VALUE - 8) {
            throw new MobileNetException("a batch of " + batch + " images of " + h + "x" + w
                    + " does not fit in one array; use a smaller batch");
        }
        float[] cur = new float[batch * per];
        float[] nxt = new float[batch * per];
        List<Future<String>> pending = submit(files, 0, cur);
        for (int start = 0; start < files.size(); start += batch) {
            int end = Math.min(files.size(), start + batch);
            List<Future<String>> mine = pending;
            float[] images = cur;
            // The next batch decodes into the other buffer while this one runs.
            pending = end < files.size() ? submit(files, end, nxt) : List.of();
            cur = nxt;
            nxt = images;
            List<String> errors = new ArrayList<>();
            int ok = 0;
            for (int i = 0; i < mine.size(); i++) {
                String err = await(mine.get(i));
                errors.add(err);
                if (err == null) {
                    if (ok != i) {
                        System.arraycopy(images, i * per, images, ok * per, per);
                    }
                    ok++;
                }
            }
            float[][] rows = ok == 0 ? new float[0][] : infer(images, ok, h, w, topK);
            int r = 0;
            for (int i = 0; i < mine.size(); i++) {
                Path file = files.get(start + i);
                if (errors.get(i) != null) {
                    sink.accept(new Failure(file, errors.get(i)));
                } else {
                    float[] row = rows[r++];
                    sink.accept(topK > 0 ? new Prediction(file, top(row, topK)) : new Embedding(file, row));
                }
            }
        }
    }

    private List<Future<String>> submit(List<Path> files, int start, float[] buffer) {
        int per = preprocessor.outputSize();
        List<Future<String>> fs = new ArrayList<>();
        int end = Math.min(files.size(), start + batch);
        for (int i = start; i < end; i++) {
            Path file = files.get(i);
            int offset = (i - start) * per;
            fs.add(pool.submit(() -> {
                try {
                    preprocessor.apply(decoder.decode(file), buffer, offset);
                    return null;
                } catch (MobileNetException e) {
                    return e.getMessage();
                } catch (OutOfMemoryError e) {
                    return file + ": out of memory while decoding (try a larger -Xmx)";
                }
            }));
        }
        return fs;
    }

    private static String await(Future<String> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MobileNetException("interrupted while decoding images");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new MobileNetException("decoding failed: " + c);
        }
    }

    /** Logits (as probabilities later) or embeddings for the first n images of {@code x}, one row each. */
    private float[][] infer(float[] x, int n, int h, int w, int topK) {
        float[] exact = x.length == n * 3 * h * w ? x : java.util.Arrays.copyOf(x, n * 3 * h * w);
        dev.mobilenet.tensor.Tensor t = new dev.mobilenet.tensor.Tensor(new int[] {n, 3, h, w}, exact);
        dev.mobilenet.tensor.Tensor y = topK > 0 ? engine.logits(t) : engine.preLogits(t);
        int d = y.shape()[1];
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = java.util.Arrays.copyOfRange(y.data(), i * d, (i + 1) * d);
        }
        return rows;
    }

    /** Softmax (in double, max-subtracted) and the k most probable classes; ties go to the lower index. */
    List<Top> top(float[] logits, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        List<Top> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, p.length); i++) {
            int c = order.get(i);
            out.add(new Top(c, c < labels.size() ? labels.get(c) : Integer.toString(c), p[c] / sum));
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
