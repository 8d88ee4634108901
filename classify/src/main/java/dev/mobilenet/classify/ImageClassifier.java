package dev.mobilenet.classify;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.Session;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Images in, ranked classes or embeddings out. In three lines:
 * <pre>
 * try (ImageClassifier c = ImageClassifier.pretrained("mobilenetv3_large_100.ra_in1k")) {
 *     List&lt;Top&gt; top = c.classify(Path.of("photo.jpg"));
 * }
 * </pre>
 * One image at a time ({@link #classify(Path)}, {@link #embed(Path)}, also from encoded bytes) runs on the calling
 * thread, one call at a time. Many files ({@link #classify(List, int, Sink)}): decoding and timm's eval transform
 * run on a pool of threads, a batch ahead of the engine, and the engine runs {@code batch} images per call. A file
 * that cannot be read or decoded is reported to the sink as a {@link Failure} and skipped; the others still run.
 * Results arrive in file order.
 */
public final class ImageClassifier implements AutoCloseable {
    /** Classes per image when the caller does not say. */
    public static final int DEFAULT_TOP_K = 5;

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
    private final Engine owned;
    private final Preprocessor preprocessor;
    private final ImageDecoder decoder;
    private final List<String> labels;
    private final int batch;
    private final ExecutorService pool;
    private final float[] single;
    private final float[] singleLogits;

    /**
     * A classifier over an engine the caller keeps (and closes).
     *
     * @param labels        class names in class order; empty for indices only
     * @param batch         images per engine call
     * @param decodeThreads threads decoding and preprocessing
     */
    public ImageClassifier(Engine engine, PreprocessConfig config, ImageDecoder decoder, List<String> labels,
                           int batch, int decodeThreads) {
        this(engine, null, config, decoder, labels, batch, decodeThreads);
    }

    /** Images per engine call at most: two batch buffers of 224x224 inputs then take 1.2 GB. */
    public static final int MAX_BATCH = 1024;

    private ImageClassifier(Engine engine, Engine owned, PreprocessConfig config, ImageDecoder decoder,
                            List<String> labels, int batch, int decodeThreads) {
        if (batch < 1 || batch > MAX_BATCH || decodeThreads < 1 || decodeThreads > Session.MAX_THREADS) {
            throw new MobileNetException("batch must be between 1 and " + MAX_BATCH + " and decode threads between 1"
                    + " and " + Session.MAX_THREADS + ", got " + batch + " and " + decodeThreads);
        }
        this.engine = engine;
        this.owned = owned;
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
        this.single = new float[preprocessor.outputSize()];
        this.singleLogits = new float[Math.max(0, engine.numClasses())];
    }

    /**
     * timm's pretrained {@code name} from the Hugging Face Hub (downloaded once into its cache; the environment's
     * settings), on all cores.
     */
    public static ImageClassifier pretrained(String name) {
        return open(ModelLoader.load(ModelRequest.of(name)), Runtime.getRuntime().availableProcessors(), 1);
    }

    /**
     * A classifier over a loaded model, with its own session (closed with the classifier).
     *
     * @param threads engine threads, and decoding threads for lists of files
     * @param batch   images per engine call for lists of files
     */
    public static ImageClassifier open(LoadedModel model, int threads, int batch) {
        return open(model, threads, batch, new ImageDecoder());
    }

    /** {@link #open(LoadedModel, int, int)} with a decoder of one's own (e.g. another pixel limit). */
    public static ImageClassifier open(LoadedModel model, int threads, int batch, ImageDecoder decoder) {
        if (threads < 1 || threads > Session.MAX_THREADS || batch < 1 || batch > MAX_BATCH) {
            throw new MobileNetException("--threads must be between 1 and " + Session.MAX_THREADS + " and --batch"
                    + " between 1 and " + MAX_BATCH + ", got " + threads + " and " + batch);
        }
        Engine session = model.inference().newSession(threads);
        return new ImageClassifier(session, session, model.preprocess(), decoder, model.labels(), batch, threads);
    }

    /** The {@value #DEFAULT_TOP_K} most probable classes of an image file. */
    public List<Top> classify(Path image) {
        return classify(image, DEFAULT_TOP_K);
    }

    /** The {@code k} most probable classes of an image file, most probable first. */
    public synchronized List<Top> classify(Path image, int k) {
        checkClassifier(k);
        preprocessor.apply(decoder.decode(image), single, 0);
        return logitsTopK(k);
    }

    /** The {@value #DEFAULT_TOP_K} most probable classes of an encoded image (JPEG, PNG, BMP, GIF or WebP). */
    public List<Top> classify(byte[] encoded) {
        return classify(encoded, DEFAULT_TOP_K);
    }

    /** The {@code k} most probable classes of an encoded image, most probable first. */
    public synchronized List<Top> classify(byte[] encoded, int k) {
        checkClassifier(k);
        preprocessor.apply(decoder.decode(encoded, "image"), single, 0);
        return logitsTopK(k);
    }

    /** The pooled pre-logits embedding of an image file (timm's {@code forward_head(pre_logits=True)}). */
    public synchronized float[] embed(Path image) {
        preprocessor.apply(decoder.decode(image), single, 0);
        return preLogits();
    }

    /** The pooled pre-logits embedding of an encoded image. */
    public synchronized float[] embed(byte[] encoded) {
        preprocessor.apply(decoder.decode(encoded, "image"), single, 0);
        return preLogits();
    }

    /** The evaluation transform applied to every image. */
    public PreprocessConfig preprocess() {
        return preprocessor.config();
    }

    private List<Top> logitsTopK(int k) {
        PreprocessConfig c = preprocessor.config();
        engine.logits(single, 1, c.height(), c.width(), singleLogits);
        return Predictions.topK(singleLogits, 0, singleLogits.length, k, labels);
    }

    private float[] preLogits() {
        PreprocessConfig c = preprocessor.config();
        return engine.preLogits(new Tensor(new int[] {1, 3, c.height(), c.width()}, single)).data().clone();
    }

    private void checkClassifier(int topK) {
        if (topK < 1) {
            throw new MobileNetException("top-k must be at least 1, got " + topK);
        }
        if (engine.numClasses() < 1) {
            throw new MobileNetException("the model has no classifier; use embeddings instead");
        }
    }

    /** Classifies {@code files}, giving each image's {@code topK} classes to {@code sink}. */
    public void classify(List<Path> files, int topK, Sink sink) {
        checkClassifier(topK);
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
                    sink.accept(topK > 0 ? new Prediction(file, Predictions.topK(row, 0, row.length, topK, labels))
                            : new Embedding(file, row));
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
        float[] exact = x.length == n * 3 * h * w ? x : Arrays.copyOf(x, n * 3 * h * w);
        Tensor t = new Tensor(new int[] {n, 3, h, w}, exact);
        Tensor y = topK > 0 ? engine.logits(t) : engine.preLogits(t);
        int d = y.shape()[1];
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(y.data(), i * d, (i + 1) * d);
        }
        return rows;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        if (owned != null) {
            owned.close();
        }
    }
}
