package dev.mobilenet.spark;

import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.classify.PreprocessOverrides;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.image.RgbImage;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.model.Inference;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The models of this JVM (an executor, or the driver in local mode): each is loaded and compiled once per
 * {@link ModelKey}, then shared by every task. Tasks borrow a {@link Worker} (an engine session and a decode pool)
 * and give it back when they end, so sessions and their buffers are reused across tasks.
 */
public final class ExecutorModels {
    private static final ConcurrentHashMap<ModelKey, Model> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static final LongAdder DECODE_NANOS = new LongAdder();
    private static final LongAdder ENGINE_NANOS = new LongAdder();

    private ExecutorModels() {
    }

    /** A compiled model with its preprocessing, labels and the idle workers of finished tasks. */
    static final class Model {
        final String name;
        final Inference inference;
        final PreprocessConfig preprocess;
        final List<String> labels;
        private final ConcurrentLinkedQueue<Worker> idle = new ConcurrentLinkedQueue<>();

        Model(String name, Inference inference, PreprocessConfig preprocess, List<String> labels) {
            this.name = name;
            this.inference = inference;
            this.preprocess = preprocess;
            this.labels = List.copyOf(labels);
        }

        int numClasses() {
            return inference.model().numClasses();
        }

        int embeddingSize() {
            return inference.model().headHiddenSize();
        }

        Worker borrow(int threads) {
            for (Worker w : idle) {
                if (w.threads() == threads && idle.remove(w)) {
                    return w;
                }
            }
            return new Worker(inference.newSession(threads), threads);
        }

        void giveBack(Worker w) {
            idle.add(w);
        }
    }

    /** The model for {@code key}, loading it on first use in this JVM. */
    static Model get(ModelKey key) {
        return MODELS.computeIfAbsent(key, ExecutorModels::load);
    }

    /**
     * Loads the model for {@code key} and runs one batch of {@code batch} blank images through a worker of
     * {@code threads} threads (and timm's preprocessing over a blank image), so that the JIT has compiled the engine
     * and the worker waits in the pool when the first task starts. The command runs this while Spark starts.
     */
    static void warm(ModelKey key, int threads, int batch) {
        Model m = get(key);
        Preprocessor pre = new Preprocessor(m.preprocess);
        int h = m.preprocess.height();
        int w = m.preprocess.width();
        int classes = m.numClasses();
        int outDim = classes > 0 ? classes : m.embeddingSize();
        Worker worker = m.borrow(threads);
        try {
            worker.ensure(batch * pre.outputSize(), batch * outDim);
            pre.apply(new RgbImage(w + 32, h + 32, new byte[(w + 32) * (h + 32) * 3]), worker.current, 0);
            if (classes > 0) {
                worker.session().logits(worker.current, batch, h, w, worker.out);
            } else {
                worker.session().preLogits(worker.current, batch, h, w, worker.out);
            }
        } finally {
            m.giveBack(worker);
        }
    }

    /** How many models this JVM has loaded (tests check that a job loads its model once). */
    public static int loads() {
        return LOADS.get();
    }

    /** Thread time this JVM's tasks spent decoding and preprocessing, in seconds (where the time goes). */
    public static double decodeSeconds() {
        return DECODE_NANOS.sum() / 1e9;
    }

    /** Thread time this JVM's tasks spent in the engine, in seconds. */
    public static double engineSeconds() {
        return ENGINE_NANOS.sum() / 1e9;
    }

    static void addDecode(long nanos) {
        DECODE_NANOS.add(nanos);
    }

    static void addEngine(long nanos) {
        ENGINE_NANOS.add(nanos);
    }

    private static Model load(ModelKey key) {
        LOADS.incrementAndGet();
        ModelRequest req = ModelRequest.of(key.model()).withPreprocess(overrides(key));
        if (key.weights() != null) {
            req = req.withWeights(ExecutorFiles.local(key.weights(), "weights"));
        }
        if (key.labels() != null) {
            req = req.withLabels(ExecutorFiles.local(key.labels(), "labels"));
        }
        if (key.revision() != null) {
            req = req.withRevision(key.revision());
        }
        LoadedModel m = ModelLoader.load(req);
        return new Model(m.name(), m.inference(), m.preprocess(), m.labels());
    }

    private static PreprocessOverrides overrides(ModelKey key) {
        return PreprocessOverrides.of(key.inputSize(), Double.isNaN(key.cropPct()) ? null : key.cropPct(),
                key.cropMode(), key.interpolation(), key.mean() == null ? null : floats(key.mean()),
                key.std() == null ? null : floats(key.std()));
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
