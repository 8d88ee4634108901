package dev.mobilenet.training.engine;

import dev.mobilenet.model.WorkerPool;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.kernels.Activation;
import dev.mobilenet.training.kernels.TrainKernels;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.BatchNorm2d;
import dev.mobilenet.nn.Conv2d;
import dev.mobilenet.nn.Linear;
import dev.mobilenet.nn.SqueezeExcite;
import dev.mobilenet.nn.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The whole network as a list of train-mode ops over NCHW batches, each op caching what its backward needs. Built
 * once per input shape; every buffer is allocated then and reused by later steps of the same shape.
 */
final class Graph {
    /** An activation tensor of the batch: values and their gradient, [n][c][h][w]. */
    private static final float[] NO_GRADIENT = new float[0];

    static final class Act {
        final int c;
        final int h;
        final int w;
        final float[] v;
        /** The gradient; a graph's activations share these buffers by liveness (see {@link #planGradients}). */
        float[] g;

        Act(int n, int c, int h, int w) {
            this(n, c, h, w, true);
        }

        Act(int n, int c, int h, int w, boolean ownGradient) {
            this.c = c;
            this.h = h;
            this.w = w;
            this.v = new float[n * c * h * w];
            this.g = ownGradient ? new float[v.length] : NO_GRADIENT;
        }

        int hw() {
            return h * w;
        }
    }

    private abstract static class Op {
        abstract void forward(boolean train);

        abstract void backward(boolean needInputGrad);
    }

    /** An op from one activation to another. */
    private abstract static class UnaryOp extends Op {
        final Act in;
        final Act out;

        UnaryOp(Act in, Act out) {
            this.in = in;
            this.out = out;
        }
    }

    final int n;
    final int h;
    final int w;
    private final Map<float[], float[]> grads;
    private final SplittableRandom rng;
    private final List<Op> ops = new ArrayList<>();
    /** Per op: the activation it writes and the ones it reads. */
    private final List<Act> opOut = new ArrayList<>();
    private final List<Act[]> opIns = new ArrayList<>();
    /** Per op: the gradient buffers its backward is the first to write, zeroed just before it. */
    private float[][][] zeroBefore;
    /** Ops from this index on belong to the classifier (what a frozen backbone still trains). */
    private final int classifierOp;
    final Act input;
    final Act logits;
    private final WorkerPool pool;
    private final int parts;
    /** Per part: im2col columns (or a transposed input) and their gradient. */
    private float[][] cols;
    private float[][] dcols;
    private long colSize;
    private long dcolSize;
    /** Per image: its share of a conv's weight gradient, summed into dW in image order after the batch. */
    private float[] wpart = new float[0];
    private int wpartSize;
    private float[] scratch = new float[0];

    Graph(MobileNet m, int n, int h, int w, Map<float[], float[]> grads, double dropRate, double dropPathRate,
          SplittableRandom rng, WorkerPool pool) {
        if (m.classifier == null) {
            throw new MobileNetException("training needs a classifier; the model was built with 0 classes");
        }
        this.n = n;
        this.h = h;
        this.w = w;
        this.grads = grads;
        this.rng = rng;
        this.pool = pool;
        this.parts = pool.parts();
        input = act(3, h, w);
        Builder b = new Builder(input, dropRate, dropPathRate, m.flatBlocks().size());
        m.plan().forEach(st -> st.accept(b));
        classifierOp = b.classifierOp;
        logits = b.x;
        planGradients();
        cols = new float[parts][Math.toIntExact(colSize)];
        dcols = new float[parts][Math.toIntExact(dcolSize)];
        wpart = new float[Math.toIntExact((long) n * wpartSize)];
    }

    /** Appends the train-mode ops of each plan step; {@code x} is the activation the next step reads. */
    private final class Builder implements Step.Visitor {
        Act x;
        final double dropRate;
        final double dropPathRate;
        final int blockCount;
        int classifierOp = -1;

        Builder(Act input, double dropRate, double dropPathRate, int blockCount) {
            this.x = input;
            this.dropRate = dropRate;
            this.dropPathRate = dropPathRate;
            this.blockCount = blockCount;
        }

        @Override
        public void convBn(Step.ConvBn s) {
            x = Graph.this.convBn(s.conv(), s.bn(), x);
        }

        @Override
        public void se(Step.Se s) {
            x = Graph.this.se(s.se(), x);
        }

        @Override
        public void block(Step.BlockStep s) {
            Act blockIn = x;
            s.steps().forEach(st -> st.accept(this));
            if (s.block().hasSkip()) {
                Act out = act(x.c, x.h, x.w);
                add(new AddOp(x, blockIn, out, dropPathRate * s.index() / blockCount), out, x, blockIn);
                x = out;
            }
        }

        @Override
        public void pool(Step.Pool s) {
            Act pooled = act(x.c, 1, 1);
            add(new PoolOp(x, pooled), pooled, x);
            x = pooled;
        }

        @Override
        public void pooledConv(Step.PooledConv s) {
            Conv2d head = s.conv();
            Act pre = act(head.outChannels, 1, 1);
            add(new DenseOp(head.weight, head.bias, x, pre), pre, x);
            Act activated = act(head.outChannels, 1, 1);
            add(new ActOp(s.act(), pre, activated), activated, pre);
            x = activated;
        }

        @Override
        public void classifier(Step.Classifier s) {
            classifierOp = ops.size();
            if (dropRate > 0) {
                Act dropped = act(x.c, 1, 1);
                add(new DropoutOp(dropRate, x, dropped), dropped, x);
                x = dropped;
            }
            Linear fc = s.fc();
            Act out = act(fc.outFeatures, 1, 1);
            add(new DenseOp(fc.weight, fc.bias, x, out), out, x);
            x = out;
        }

        @Override
        public void feature(Step.Feature s) {
        }
    }

    private Act act(int c, int hh, int ww) {
        return new Act(n, c, hh, ww, false);
    }

    private void add(Op op, Act out, Act... ins) {
        ops.add(op);
        opOut.add(out);
        opIns.add(ins);
    }

    /**
     * Gives every activation's gradient a buffer for the part of the backward pass where it is live: from the
     * backward of its last reader (the first to write it; the buffer is zeroed just before) to the backward of the
     * op that produced it (which reads it last), after which the buffer serves another activation of the same
     * size. The logits keep their own buffer (the loss writes it before the backward pass); the input has none.
     */
    private void planGradients() {
        int count = ops.size();
        Map<Act, Integer> lastReader = new IdentityHashMap<>();
        for (int i = 0; i < count; i++) {
            for (Act a : opIns.get(i)) {
                lastReader.merge(a, i, Math::max);
            }
        }
        List<List<float[]>> zero = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            zero.add(new ArrayList<>());
        }
        Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
        logits.g = new float[logits.v.length];
        for (int i = count - 1; i >= 0; i--) {
            for (Act a : opIns.get(i)) {
                if (a != input && lastReader.get(a) == i && a.g == NO_GRADIENT) {
                    ArrayDeque<float[]> sized = free.get(a.v.length);
                    a.g = sized == null || sized.isEmpty() ? new float[a.v.length] : sized.pop();
                    zero.get(i).add(a.g);
                }
            }
            Act out = opOut.get(i);
            if (out != logits && out.g != NO_GRADIENT) {
                free.computeIfAbsent(out.v.length, k -> new ArrayDeque<>()).push(out.g);
            }
        }
        zeroBefore = new float[count][][];
        for (int i = 0; i < count; i++) {
            zeroBefore[i] = zero.get(i).toArray(new float[0][]);
        }
    }

    private float[] grad(float[] param) {
        float[] g = grads.get(param);
        if (g == null) {
            throw new IllegalStateException("no gradient buffer for a parameter");
        }
        return g;
    }

    private Act convBn(Conv2d conv, BatchNorm2d bn, Act in) {
        Act mid = act(conv.outChannels, conv.outSize(in.h), conv.outSize(in.w));
        add(new ConvOp(conv, in, mid), mid, in);
        Act out = act(bn.channels, mid.h, mid.w);
        add(new BnOp(bn, mid, out), out, mid);
        return out;
    }

    private Act se(SqueezeExcite se, Act in) {
        Act out = act(in.c, in.h, in.w);
        add(new SeOp(se, in, out), out, in);
        return out;
    }

    private static float[] ensure(float[] a, long size) {
        return a.length >= size ? a : new float[Math.toIntExact(size)];
    }

    /** Runs the network on {@link #input}; train mode uses batch statistics, dropout and drop-path. */
    void forward(boolean train, boolean frozenBackbone) {
        for (int i = 0; i < ops.size(); i++) {
            ops.get(i).forward(train && (!frozenBackbone || i >= classifierOp));
        }
    }

    /**
     * Back-propagates {@code logits.g} (set by the caller), accumulating parameter gradients. A frozen backbone
     * stops at the classifier.
     */
    void backward(boolean frozenBackbone) {
        int stop = frozenBackbone ? classifierOp : 0;
        for (int i = ops.size() - 1; i >= stop; i--) {
            if (zeroBefore[i].length > 0) {
                zeroing = zeroBefore[i];
                pool.run(zeroGrads);
            }
            ops.get(i).backward(i > stop);
        }
    }

    private float[][] zeroing;

    private final WorkerPool.Task zeroGrads = this::zeroGradsPart;

    private void zeroGradsPart(int part, int parts) {
        for (float[] g : zeroing) {
            Arrays.fill(g, WorkerPool.from(g.length, part, parts), WorkerPool.from(g.length, part + 1, parts), 0f);
        }
    }

    // ---- ops ----

    private final class ConvOp extends UnaryOp {
        final Conv2d conv;
        final float[] dW;
        final float[] dB;
        final SizedConv sized;

        ConvOp(Conv2d conv, Act in, Act out) {
            super(in, out);
            this.conv = conv;
            this.dW = grad(conv.weight);
            this.dB = conv.bias == null ? null : grad(conv.bias);
            this.sized = new SizedConv(conv, in.h, in.w, out.h, out.w,
                    conv.padding.before(in.h, conv.kernel, conv.stride, conv.dilation),
                    conv.padding.before(in.w, conv.kernel, conv.stride, conv.dilation));
            long size = convScratch(conv, out.h, out.w);
            colSize = Math.max(colSize, size);
            if (!conv.isPointwise()) {
                dcolSize = Math.max(dcolSize, size);
            }
            wpartSize = Math.max(wpartSize, dW.length);
        }

        private final WorkerPool.Task fwd = this::fwdPart;

        private void fwdPart(int part, int parts) {
            for (int i = WorkerPool.from(n, part, parts), e = WorkerPool.from(n, part + 1, parts); i < e; i++) {
                sized.forwardImage(i, in.v, out.v, cols[part]);
            }
        }

        private boolean inputGrad;

        private final WorkerPool.Task bwd = this::bwdPart;

        private void bwdPart(int part, int parts) {
            int size = dW.length;
            for (int i = WorkerPool.from(n, part, parts), e = WorkerPool.from(n, part + 1, parts); i < e; i++) {
                Arrays.fill(wpart, i * size, (i + 1) * size, 0f);
                sized.backwardImage(i, in.v, inputGrad ? in.g : null, out.g, wpart, i * size, cols[part], dcols[part]);
            }
        }

        private final WorkerPool.Task reduce = this::reducePart;

        private void reducePart(int part, int parts) {
            int size = dW.length;
            for (int j = WorkerPool.from(size, part, parts), e = WorkerPool.from(size, part + 1, parts); j < e; j++) {
                float s = dW[j];
                for (int i = 0, o = j; i < n; i++, o += size) {
                    s += wpart[o];
                }
                dW[j] = s;
            }
        }

        @Override
        void forward(boolean train) {
            pool.run(fwd);
            if (conv.bias != null) {
                TrainKernels.addBias(out.v, conv.bias, n, conv.outChannels, out.hw());
            }
        }

        @Override
        void backward(boolean needInputGrad) {
            if (dB != null) {
                TrainKernels.biasBackward(dB, out.g, n, conv.outChannels, out.hw());
            }
            inputGrad = needInputGrad;
            pool.run(bwd);
            pool.run(reduce);
        }
    }

    /** Scratch floats a conv needs: im2col columns, or the transposed input of a point-wise conv; depthwise's phase planes. */
    static long convScratch(Conv2d conv, int oh, int ow) {
        return conv.isDepthwise() ? TrainKernels.depthwiseScratch(conv.kernel, conv.stride, conv.dilation, oh, ow)
                : (long) conv.inChannels / conv.groups * conv.kernel * conv.kernel * oh * ow;
    }

    /** Train-mode conv forward of a batch: point-wise GEMM, depthwise direct, or im2col + GEMM per group. */
    static void convForward(Conv2d conv, int n, float[] in, int h, int w, float[] out, int oh, int ow, int padTop,
                            int padLeft, float[] col) {
        SizedConv sc = new SizedConv(conv, h, w, oh, ow, padTop, padLeft);
        for (int i = 0; i < n; i++) {
            sc.forwardImage(i, in, out, col);
        }
        if (conv.bias != null) {
            TrainKernels.addBias(out, conv.bias, n, conv.outChannels, oh * ow);
        }
    }

    /**
     * Conv backward of a batch: accumulates dW (and dB when non-null) and, when dIn is non-null, the input
     * gradient. Point-wise convs are two GEMMs (dW = dOut * in^T with the input transposed into col first, so the
     * inner loop runs along input channels; dIn = W^T * dOut).
     */
    static void convBackward(Conv2d conv, int n, float[] in, int h, int w, float[] dIn, float[] dOut, int oh, int ow,
                             int padTop, int padLeft, float[] dW, float[] dB, float[] col, float[] dcol) {
        if (dB != null) {
            TrainKernels.biasBackward(dB, dOut, n, conv.outChannels, oh * ow);
        }
        SizedConv sc = new SizedConv(conv, h, w, oh, ow, padTop, padLeft);
        for (int i = 0; i < n; i++) {
            sc.backwardImage(i, in, dIn, dOut, dW, 0, col, dcol);
        }
    }

    /**
     * A conv at one input size, [n][ci][h][w] to [n][co][oh][ow], and its passes over image {@code i} of a batch
     * (without the bias): what the forward and the backward pass share is this geometry.
     */
    static final class SizedConv {
        final Conv2d conv;
        final int ci;
        final int co;
        final int k;
        final int h;
        final int w;
        final int oh;
        final int ow;
        final int p;
        final int padTop;
        final int padLeft;

        SizedConv(Conv2d conv, int h, int w, int oh, int ow, int padTop, int padLeft) {
            this.conv = conv;
            this.ci = conv.inChannels;
            this.co = conv.outChannels;
            this.k = conv.kernel;
            this.h = h;
            this.w = w;
            this.oh = oh;
            this.ow = ow;
            this.p = oh * ow;
            this.padTop = padTop;
            this.padLeft = padLeft;
        }

        /** {@link #convForward} of image {@code i}. */
        void forwardImage(int i, float[] in, float[] out, float[] col) {
            int inOff = i * ci * h * w;
            int outOff = i * co * p;
            if (conv.isPointwise()) {
                TrainKernels.gemm(out, outOff, conv.weight, 0, in, inOff, co, p, ci, false);
            } else if (conv.isDepthwise()) {
                TrainKernels.depthwiseForward(out, outOff, in, inOff, conv.weight, ci, h, w, k, conv.stride,
                        conv.dilation, padTop, padLeft, oh, ow, col);
            } else {
                int cig = ci / conv.groups;
                int cog = co / conv.groups;
                int kc = cig * k * k;
                for (int g = 0; g < conv.groups; g++) {
                    TrainKernels.im2col(col, in, inOff + g * cig * h * w, cig, h, w, k, conv.stride, conv.dilation,
                            padTop, padLeft, oh, ow);
                    TrainKernels.gemm(out, outOff + g * cog * p, conv.weight, g * cog * kc, col, 0, cog, p, kc,
                            false);
                }
            }
        }

        /** {@link #convBackward} of image {@code i}: accumulates into dW[dWOff..] and dIn's image. */
        void backwardImage(int i, float[] in, float[] dIn, float[] dOut, float[] dW, int dWOff, float[] col,
                           float[] dcol) {
            int inOff = i * ci * h * w;
            int outOff = i * co * p;
            if (conv.isPointwise()) {
                TrainKernels.transpose(col, in, inOff, ci, p);
                TrainKernels.gemm(dW, dWOff, dOut, outOff, col, 0, co, ci, p, true);
                if (dIn != null) {
                    TrainKernels.gemmTN(dIn, inOff, conv.weight, 0, dOut, outOff, ci, p, co, true);
                }
            } else if (conv.isDepthwise()) {
                TrainKernels.depthwiseBackward(dIn, dW, dWOff, dOut, outOff, in, inOff, conv.weight, ci, h, w, k,
                        conv.stride, conv.dilation, padTop, padLeft, oh, ow, col);
            } else {
                int cig = ci / conv.groups;
                int cog = co / conv.groups;
                int kc = cig * k * k;
                for (int g = 0; g < conv.groups; g++) {
                    int gIn = inOff + g * cig * h * w;
                    TrainKernels.im2col(col, in, gIn, cig, h, w, k, conv.stride, conv.dilation, padTop, padLeft, oh,
                            ow);
                    TrainKernels.transpose(dcol, col, 0, kc, p);
                    TrainKernels.gemm(dW, dWOff + g * cog * kc, dOut, outOff + g * cog * p, dcol, 0, cog, kc, p,
                            true);
                    if (dIn != null) {
                        TrainKernels.gemmTN(dcol, 0, conv.weight, g * cog * kc, dOut, outOff + g * cog * p, kc,
                                p, cog, false);
                        TrainKernels.col2imAdd(dIn, gIn, dcol, cig, h, w, k, conv.stride, conv.dilation, padTop,
                                padLeft, oh, ow);
                    }
                }
            }
        }
    }

    private final class BnOp extends UnaryOp {
        final BatchNorm2d bn;
        final float[] pre;
        final float[] mean;
        final float[] var;
        final float[] invStd;
        final float[] dGamma;
        final float[] dBeta;
        boolean trained;

        BnOp(BatchNorm2d bn, Act in, Act out) {
            super(in, out);
            this.bn = bn;
            this.pre = inPlace(bn.act) ? out.v : new float[out.v.length];
            this.mean = new float[bn.channels];
            this.var = new float[bn.channels];
            this.invStd = new float[bn.channels];
            this.dGamma = grad(bn.weight);
            this.dBeta = grad(bn.bias);
            if (bn.act != Activation.IDENTITY) {
                scratch = ensure(scratch, out.v.length);
            }
        }

        @Override
        void forward(boolean train) {
            int c = bn.channels;
            int hw = in.hw();
            trained = train;
            if (train) {
                if ((long) n * hw == 1) {
                    throw new MobileNetException("BatchNorm in train mode needs more than one value per channel;"
                            + " use a batch of at least 2 images or a larger input");
                }
                pool.run(stats);
                TrainKernels.batchNormRunning(bn.runningMean, bn.runningVar, mean, var, c, (long) n * hw, 0.1);
                bn.numBatchesTracked[0]++;
            } else {
                for (int ch = 0; ch < c; ch++) {
                    mean[ch] = bn.runningMean[ch];
                    invStd[ch] = (float) (1.0 / Math.sqrt(bn.runningVar[ch] + bn.eps));
                }
            }
            pool.run(apply);
        }

        /**
         * Whether the activation runs in place on the BatchNorm output: ReLU's and ReLU6's gradient masks read the
         * same from the output as from the input (y > 0, and 0 < y < 6, exactly when x is), so the pre-activation
         * values need not be kept (as PyTorch's in-place activations).
         */
        private static boolean inPlace(Activation act) {
            return act == Activation.IDENTITY || act == Activation.RELU || act == Activation.RELU6;
        }

        private final WorkerPool.Task stats = this::statsPart;
        private final WorkerPool.Task apply = this::applyPart;
        private final WorkerPool.Task back = this::backPart;
        private boolean inputGrad;

        private void statsPart(int part, int parts) {
            int c = bn.channels;
            TrainKernels.batchNormStats(mean, var, invStd, in.v, n, c, in.hw(), bn.eps, WorkerPool.from(c, part, parts),
                    WorkerPool.from(c, part + 1, parts));
        }

        private void applyPart(int part, int parts) {
            int c = bn.channels;
            int hw = in.hw();
            int c0 = WorkerPool.from(c, part, parts);
            int c1 = WorkerPool.from(c, part + 1, parts);
            TrainKernels.batchNormApply(pre, in.v, mean, invStd, bn.weight, bn.bias, n, c, hw, c0, c1);
            if (bn.act != Activation.IDENTITY) {
                for (int i = 0; i < n; i++) {
                    TrainKernels.activationForward(out.v, pre, (i * c + c0) * hw, (i * c + c1) * hw, bn.act);
                }
            }
        }

        private void backPart(int part, int parts) {
            int c = bn.channels;
            int hw = in.hw();
            int c0 = WorkerPool.from(c, part, parts);
            int c1 = WorkerPool.from(c, part + 1, parts);
            float[] dPre = out.g;
            if (bn.act != Activation.IDENTITY) {
                for (int i = 0; i < n; i++) {
                    TrainKernels.activationBackward(scratch, out.g, pre, (i * c + c0) * hw, (i * c + c1) * hw,
                            bn.act);
                }
                dPre = scratch;
            }
            TrainKernels.batchNormBackward(inputGrad ? in.g : null, dGamma, dBeta, dPre, in.v, mean, invStd,
                    bn.weight, n, c, hw, c0, c1);
        }

        @Override
        void backward(boolean needInputGrad) {
            if (!trained) {
                throw new IllegalStateException("backward through an eval-mode BatchNorm");
            }
            inputGrad = needInputGrad;
            pool.run(back);
        }
    }

    private final class SeOp extends UnaryOp {
        final SqueezeExcite se;
        final Act pooled;
        final Act reduced;
        final Act reducedAct;
        final Act expanded;
        final Act gate;
        final PoolOp squeeze;
        final DenseOp reduce;
        final DenseOp expand;
        private final WorkerPool.Task scale;
        private final WorkerPool.Task scaleBack;

        SeOp(SqueezeExcite se, Act in, Act out) {
            super(in, out);
            this.se = se;
            int c = in.c;
            int cr = se.convReduce.outChannels;
            pooled = new Act(n, c, 1, 1);
            reduced = new Act(n, cr, 1, 1);
            reducedAct = new Act(n, cr, 1, 1);
            expanded = new Act(n, c, 1, 1);
            gate = new Act(n, c, 1, 1);
            squeeze = new PoolOp(in, pooled);
            reduce = new DenseOp(se.convReduce.weight, se.convReduce.bias, pooled, reduced);
            expand = new DenseOp(se.convExpand.weight, se.convExpand.bias, reducedAct, expanded);
            scale = overPlanes(in, (p0, p1, hw) -> TrainKernels.scalePlanes(out.v, in.v, gate.v, p0, p1, hw));
            scaleBack = overPlanes(in, (p0, p1, hw) ->
                    TrainKernels.scalePlanesBackward(in.g, gate.g, out.g, in.v, gate.v, p0, p1, hw));
        }

        @Override
        void forward(boolean train) {
            int planes = n * in.c;
            squeeze.forward(train);
            reduce.forward(train);
            TrainKernels.activationForward(reducedAct.v, reduced.v, reduced.v.length, se.act);
            expand.forward(train);
            TrainKernels.activationForward(gate.v, expanded.v, planes, se.gate);
            pool.run(scale);
        }

        @Override
        void backward(boolean needInputGrad) {
            int planes = n * in.c;
            pool.run(scaleBack);
            TrainKernels.activationBackward(expanded.g, gate.g, expanded.v, planes, se.gate);
            Arrays.fill(reducedAct.g, 0f);
            expand.backward(true);
            TrainKernels.activationBackward(reduced.g, reducedAct.g, reduced.v, reduced.v.length, se.act);
            Arrays.fill(pooled.g, 0f);
            reduce.backward(true);
            squeeze.backward(true);
        }
    }

    /**
     * A dense layer (SE's convs, V3's head conv, the classifier) over the batch as three vector GEMMs: the forward
     * as out^T = W * in^T, dW += dOut^T * in, dIn += dOut * W. The forward and dW are split by output feature,
     * dIn by image; every element is summed by one thread in an order that does not depend on the split, so any
     * thread count gives the same bits. Layers smaller than {@link #SPLIT_MACS} run on the calling thread.
     */
    private final class DenseOp extends UnaryOp {
        static final long SPLIT_MACS = 1L << 17;

        final float[] weight;
        final float[] bias;
        final float[] dW;
        final float[] dB;
        final int fi;
        final int fo;
        /** The input transposed, [fi, n]. */
        final float[] inT;
        /** The output (forward) or its gradient (backward) transposed, [fo, n]. */
        final float[] outT;
        final boolean split;
        private boolean inputGrad;

        DenseOp(float[] weight, float[] bias, Act in, Act out) {
            super(in, out);
            this.weight = weight;
            this.bias = bias;
            this.dW = grad(weight);
            this.dB = bias == null ? null : grad(bias);
            this.fi = in.c;
            this.fo = out.c;
            this.inT = new float[fi * n];
            this.outT = new float[fo * n];
            this.split = (long) fi * fo * n >= SPLIT_MACS;
        }

        private final WorkerPool.Task fwd = this::fwdPart;
        private final WorkerPool.Task bwd = this::bwdPart;

        private void fwdPart(int part, int parts) {
            int r0 = WorkerPool.from(fo, part, parts);
            int r1 = WorkerPool.from(fo, part + 1, parts);
            if (r1 <= r0) {
                return;
            }
            TrainKernels.gemm(outT, r0 * n, weight, r0 * fi, inT, 0, r1 - r0, n, fi, false);
            for (int j = r0; j < r1; j++) {
                float b = bias == null ? 0f : bias[j];
                for (int i = 0; i < n; i++) {
                    out.v[i * fo + j] = outT[j * n + i] + b;
                }
            }
        }

        private void bwdPart(int part, int parts) {
            int r0 = WorkerPool.from(fo, part, parts);
            int r1 = WorkerPool.from(fo, part + 1, parts);
            if (r1 > r0) {
                TrainKernels.gemm(dW, r0 * fi, outT, r0 * n, in.v, 0, r1 - r0, fi, n, true);
            }
            int i0 = WorkerPool.from(n, part, parts);
            int i1 = WorkerPool.from(n, part + 1, parts);
            if (inputGrad && i1 > i0) {
                TrainKernels.gemm(in.g, i0 * fi, out.g, i0 * fo, weight, 0, i1 - i0, fi, fo, true);
            }
        }

        private void run(WorkerPool.Task t) {
            if (split) {
                pool.run(t);
            } else {
                t.run(0, 1);
            }
        }

        @Override
        void forward(boolean train) {
            TrainKernels.transpose(inT, in.v, 0, n, fi);
            run(fwd);
        }

        @Override
        void backward(boolean needInputGrad) {
            TrainKernels.transpose(outT, out.g, 0, n, fo);
            if (dB != null) {
                TrainKernels.biasBackward(dB, out.g, n, fo, 1);
            }
            inputGrad = needInputGrad;
            run(bwd);
        }
    }

    private final class AddOp extends Op {
        final Act main;
        final Act skip;
        final Act out;
        final double dropProb;
        final float[] scale = new float[n];

        AddOp(Act main, Act skip, Act out, double dropProb) {
            this.main = main;
            this.skip = skip;
            this.out = out;
            this.dropProb = dropProb;
        }

        private final WorkerPool.Task fwd = this::fwdPart;
        private final WorkerPool.Task bwd = this::bwdPart;

        private void fwdPart(int part, int parts) {
            int per = main.c * main.hw();
            for (int i = WorkerPool.from(n, part, parts), e = WorkerPool.from(n, part + 1, parts); i < e; i++) {
                float s = scale[i];
                for (int j = i * per; j < (i + 1) * per; j++) {
                    out.v[j] = main.v[j] * s + skip.v[j];
                }
            }
        }

        private void bwdPart(int part, int parts) {
            int per = main.c * main.hw();
            for (int i = WorkerPool.from(n, part, parts), e = WorkerPool.from(n, part + 1, parts); i < e; i++) {
                float s = scale[i];
                for (int j = i * per; j < (i + 1) * per; j++) {
                    main.g[j] += out.g[j] * s;
                    skip.g[j] += out.g[j];
                }
            }
        }

        @Override
        void forward(boolean train) {
            for (int i = 0; i < n; i++) {
                float s = 1f;
                if (train && dropProb > 0) {
                    double keep = 1 - dropProb;
                    s = rng.nextDouble() < keep ? (float) (1 / keep) : 0f;
                }
                scale[i] = s;
            }
            pool.run(fwd);
        }

        @Override
        void backward(boolean needInputGrad) {
            pool.run(bwd);
        }
    }

    private final class PoolOp extends Op {
        private final WorkerPool.Task fwd;
        private final WorkerPool.Task bwd;

        PoolOp(Act in, Act out) {
            fwd = overPlanes(in, (p0, p1, hw) -> TrainKernels.globalAvgPool(out.v, in.v, p0, p1, hw));
            bwd = overPlanes(in, (p0, p1, hw) -> TrainKernels.globalAvgPoolBackward(in.g, out.g, p0, p1, hw));
        }

        @Override
        void forward(boolean train) {
            pool.run(fwd);
        }

        @Override
        void backward(boolean needInputGrad) {
            pool.run(bwd);
        }
    }

    /** A kernel over planes {@code [p0, p1)} of {@code hw} values each. */
    private interface PlaneKernel {
        void run(int p0, int p1, int hw);
    }

    /** A task that runs {@code k} over each part's share of the batch's {@code n * a.c} planes of {@code a}. */
    private WorkerPool.Task overPlanes(Act a, PlaneKernel k) {
        return (part, parts) -> {
            int planes = n * a.c;
            k.run(WorkerPool.from(planes, part, parts), WorkerPool.from(planes, part + 1, parts), a.hw());
        };
    }

    private final class ActOp extends UnaryOp {
        final Activation act;

        ActOp(Activation act, Act in, Act out) {
            super(in, out);
            this.act = act;
        }

        @Override
        void forward(boolean train) {
            TrainKernels.activationForward(out.v, in.v, in.v.length, act);
        }

        @Override
        void backward(boolean needInputGrad) {
            TrainKernels.activationBackward(in.g, out.g, in.v, in.v.length, act);
        }
    }

    private final class DropoutOp extends UnaryOp {
        final double p;
        final float[] mask;

        DropoutOp(double p, Act in, Act out) {
            super(in, out);
            this.p = p;
            this.mask = new float[in.v.length];
        }

        @Override
        void forward(boolean train) {
            float keepScale = (float) (1 / (1 - p));
            for (int i = 0; i < mask.length; i++) {
                mask[i] = !train ? 1f : rng.nextDouble() < p ? 0f : keepScale;
                out.v[i] = in.v[i] * mask[i];
            }
        }

        @Override
        void backward(boolean needInputGrad) {
            for (int i = 0; i < mask.length; i++) {
                in.g[i] += out.g[i] * mask[i];
            }
        }
    }
}
