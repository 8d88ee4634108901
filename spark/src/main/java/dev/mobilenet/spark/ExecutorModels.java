package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.hub.ModelConfig;
import dev.mobilenet.hub.ResolvedWeights;
import dev.mobilenet.hub.TimmHub;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.model.Inference;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of this JVM (an executor, or the driver in local mode): each is loaded and compiled once per
 * {@link ModelKey}, then shared by every task. Tasks borrow a {@link Worker} (an engine session and a decode pool)
 * and give it back when they end, so sessions and their buffers are reused across tasks.
 */
public final class ExecutorModels {
    private static final ConcurrentHashMap<ModelKey, Model> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

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

    /** How many models this JVM has loaded (tests check that a job loads its model once). */
    public static int loads() {
        return LOADS.get();
    }

    private static Model load(ModelKey key) {
        LOADS.incrementAndGet();
        Registry.ModelRef ref = Registry.resolve(key.model());
        MobileNet net;
        ModelConfig config;
        if (key.weights() != null) {
            Path weights = ExecutorFiles.local(key.weights(), "weights");
            int classes = ref.explicitTag() ? ref.numClasses()
                    : Weights.classifierClasses(weights).orElse(ref.numClasses());
            net = MobileNet.create(ref.spec(), classes, 0L);
            Weights.load(net, weights);
            config = ref.pretrained().map(ModelConfig::of).orElse(null);
        } else {
            if (ref.pretrained().isEmpty()) {
                throw new MobileNetException(ref.spec().arch() + " has no pretrained weights on the Hub; set weights");
            }
            ResolvedWeights r = TimmHub.fromEnvironment().resolve(key.model(),
                    key.revision() != null ? key.revision() : TimmHub.DEFAULT_REVISION, dev.mobilenet.hub.ProgressListener.NONE);
            net = MobileNet.create(r.spec(), r.config().numClasses(), 0L);
            Weights.load(net, r.weights());
            config = r.config();
        }
        PreprocessConfig pre = config == null ? PreprocessConfig.timmDefaults() : config.preprocess();
        return new Model(ref.name(), net.compile(), overridden(pre, key), labels(key, config, ref, net.numClasses()));
    }

    private static PreprocessConfig overridden(PreprocessConfig pre, ModelKey key) {
        if (key.inputSize() != null) {
            pre = pre.withInputSize(key.inputSize()[0], key.inputSize()[1]);
        }
        if (!Double.isNaN(key.cropPct())) {
            pre = pre.withCropPct(key.cropPct());
        }
        if (key.cropMode() != null) {
            pre = pre.withCropMode(key.cropMode());
        }
        if (key.interpolation() != null) {
            pre = pre.withInterpolation(Interpolation.fromTimm(key.interpolation()));
        }
        if (key.mean() != null) {
            pre = pre.withMean(floats(key.mean()));
        }
        if (key.std() != null) {
            pre = pre.withStd(floats(key.std()));
        }
        return pre;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static List<String> labels(ModelKey key, ModelConfig config, Registry.ModelRef ref, int classes) {
        List<String> names = new ArrayList<>();
        if (key.labels() != null) {
            Path file = ExecutorFiles.local(key.labels(), "labels");
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        names.add(line.strip());
                    }
                }
            } catch (IOException e) {
                throw new MobileNetException("cannot read labels " + key.labels() + ": " + e.getMessage(), e);
            }
            if (names.size() != classes) {
                throw new MobileNetException(key.labels() + " has " + names.size() + " labels but the model has "
                        + classes + " classes");
            }
            return names;
        }
        List<Labels.Label> known = config != null ? config.labels() : List.of();
        if (known.isEmpty()) {
            known = ref.pretrained().flatMap(Labels::of).orElse(List.of());
        }
        if (known.size() == classes) {
            known.forEach(l -> names.add(l.name()));
        }
        return names;
    }
}
