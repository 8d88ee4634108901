package dev.mobilenet.training.engine;

import dev.mobilenet.model.WorkerPool;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link MobileNet} in place: train-mode forward (batch statistics, dropout, drop-path), loss, backward,
 * gradient clipping and one optimizer update per {@link #step}. The weights stay in the model's own arrays, so
 * {@code model.Weights.save} writes the current checkpoint at any time. Buffers are allocated per input shape and
 * reused. With {@link TrainerConfig#threads} above 1 each op's work is split over a pool of threads (closed by
 * {@link #close}); the results do not depend on the thread count. Not thread-safe.
 */
public final class Trainer implements AutoCloseable {
    private static final int MAX_GRAPHS = 3;

    private final MobileNet model;
    private final TrainerConfig cfg;
    private final Optimizer optimizer;
    private final List<Param> params = new ArrayList<>();
    private final List<Param> classifierParams = new ArrayList<>();
    private final Map<float[], float[]> grads = new IdentityHashMap<>();
    private final Map<String, Graph> graphs = new LinkedHashMap<>();
    private final SplittableRandom rng;
    private boolean frozenBackbone;
    private double lr;
    private Graph last;
    private final WorkerPool pool;

    public Trainer(MobileNet model, TrainerConfig cfg) {
        if (model.classifier == null) {
            throw new MobileNetException("training needs a classifier; " + model.spec().arch()
                    + " was built with 0 classes");
        }
        this.model = model;
        this.cfg = cfg;
        this.optimizer = new Optimizer(cfg.optimizer());
        this.rng = new SplittableRandom(cfg.seed());
        this.lr = cfg.optimizer().lr();
        this.pool = new WorkerPool(cfg.threads(), "mobilenet-train");
        for (ParamRef p : model.stateDict().values()) {
            if (p.kind().trainable()) {
                float[] g = new float[p.data().length];
                grads.put(p.data(), g);
                Param param = new Param(p.key(), p.shape(), p.data(), g);
                params.add(param);
                if (p.key().startsWith("classifier.")) {
                    classifierParams.add(param);
                }
            }
        }
    }

    public MobileNet model() {
        return model;
    }

    public TrainerConfig config() {
        return cfg;
    }

    /** The learning rate of the next update (set it from a {@link Schedule} before each step). */
    public double learningRate() {
        return lr;
    }

    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    /**
     * Trains only the classifier when frozen: the backbone runs in eval mode (running statistics, no updates, as
     * timm's {@code freeze} with frozen BatchNorm) and gets no gradient.
     */
    public void freezeBackbone(boolean frozen) {
        this.frozenBackbone = frozen;
    }

    public boolean backboneFrozen() {
        return frozenBackbone;
    }

    /** The parameters updated by {@link #step}, in state-dict order, with their gradient buffers. */
    public List<Param> trainableParams() {
        return Collections.unmodifiableList(frozenBackbone ? classifierParams : params);
    }

    /** One training step on hard labels; returns the mean loss (before the update). */
    public double step(float[] images, int n, int h, int w, int[] labels) {
        double loss = forwardBackward(images, n, h, w, labels);
        update();
        return loss;
    }

    /** One training step on soft targets [n][classes] (mixup/cutmix); returns the mean loss. */
    public double step(float[] images, int n, int h, int w, float[] targets) {
        double loss = forwardBackward(images, n, h, w, targets);
        update();
        return loss;
    }

    /** Forward and backward on hard labels: sets the gradients (zeroed first) but does not update the weights. */
    public double forwardBackward(float[] images, int n, int h, int w, int[] labels) {
        if (labels.length != n) {
            throw new MobileNetException("got " + labels.length + " labels for " + n + " images");
        }
        Graph g = trainForward(images, n, h, w);
        double loss = Loss.crossEntropy(g.logits.g, g.logits.v, n, g.logits.c, labels, cfg.labelSmoothing());
        backward(g);
        return loss;
    }

    /** Forward and backward on soft targets [n][classes]. */
    public double forwardBackward(float[] images, int n, int h, int w, float[] targets) {
        Graph g = trainForward(images, n, h, w);
        if (targets.length != n * g.logits.c) {
            throw new MobileNetException("got " + targets.length + " soft-target values for " + n + " x "
                    + g.logits.c + " logits");
        }
        double loss = Loss.softTarget(g.logits.g, g.logits.v, n, g.logits.c, targets);
        backward(g);
        return loss;
    }

    /** Clips the current gradients as configured and applies one optimizer update at the current learning rate. */
    public void update() {
        List<Param> active = trainableParams();
        switch (cfg.clipMode()) {
            case NORM:
                GradClip.byNorm(active, cfg.clipGrad());
                break;
            case VALUE:
                GradClip.byValue(active, cfg.clipGrad());
                break;
            default:
                break;
        }
        optimizer.step(active, lr);
    }

    /** Logits [n][classes] of the last training forward (a view, valid until the next call). */
    public float[] lastLogits() {
        if (last == null) {
            throw new IllegalStateException("no forward pass yet");
        }
        return last.logits.v;
    }

    /** Eval-mode logits [n][classes] (running statistics, no dropout); a fresh array. */
    public float[] evalLogits(float[] images, int n, int h, int w) {
        Graph g = graph(images, n, h, w);
        g.forward(false, false);
        return g.logits.v.clone();
    }

    /** Gradients of the last backward by state-dict key (views of the live buffers). */
    public Map<String, float[]> gradients() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Param p : params) {
            out.put(p.key(), p.grad());
        }
        return out;
    }

    public Map<String, Tensor> optimizerState() {
        return optimizer.state();
    }

    public void loadOptimizerState(Map<String, Tensor> state) {
        optimizer.loadState(state, params);
    }

    private Graph trainForward(float[] images, int n, int h, int w) {
        Graph g = graph(images, n, h, w);
        for (Param p : trainableParams()) {
            Arrays.fill(p.grad(), 0f);
        }
        g.forward(true, frozenBackbone);
        last = g;
        return g;
    }

    private void backward(Graph g) {
        g.backward(frozenBackbone);
    }

    private Graph graph(float[] images, int n, int h, int w) {
        if (n < 1 || h < MobileNet.MIN_INPUT_SIZE || w < MobileNet.MIN_INPUT_SIZE) {
            throw new MobileNetException("input batch must have n >= 1 and sides >= " + MobileNet.MIN_INPUT_SIZE
                    + ", got n=" + n + " " + h + "x" + w);
        }
        if ((long) n * 3 * h * w != images.length) {
            throw new MobileNetException("images hold " + images.length + " values, expected n*3*h*w = "
                    + (long) n * 3 * h * w);
        }
        Graph g = last != null && last.n == n && last.h == h && last.w == w ? last : lookup(n, h, w);
        System.arraycopy(images, 0, g.input.v, 0, images.length);
        return g;
    }

    private Graph lookup(int n, int h, int w) {
        String key = n + "x" + h + "x" + w;
        Graph g = graphs.remove(key);
        if (g == null) {
            if (graphs.size() >= MAX_GRAPHS) {
                graphs.remove(graphs.keySet().iterator().next());
            }
            g = new Graph(model, n, h, w, grads, cfg.dropRate(), cfg.dropPathRate(), rng, pool);
        }
        graphs.put(key, g);
        return g;
    }

    /** Stops the worker threads (a no-op with one thread). */
    @Override
    public void close() {
        pool.close();
    }
}
