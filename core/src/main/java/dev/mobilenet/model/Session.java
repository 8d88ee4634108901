package dev.mobilenet.model;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an {@link Inference} plan. Buffers are sized on the first call for an input size and reused after that, so
 * the array-based methods allocate nothing in steady state. Not thread-safe: one session per thread.
 */
public final class Session implements Engine {
    private final Inference net;
    private final float[][] bufs = new float[3][];
    private float[] seScratch = new float[0];
    private float[] convScratch = new float[0];
    private float[] pooled;
    private float[] hidden;
    private int sizedH = -1;
    private int sizedW = -1;
    // Shape of the trunk output of the last run.
    private int outC;
    private int outH;
    private int outW;

    Session(Inference net) {
        this.net = net;
        MobileNet m = net.model;
        this.pooled = new float[Math.max(m.numFeatures(), m.flatBlocks().get(m.flatBlocks().size() - 1).outChannels())];
        this.hidden = new float[m.headHiddenSize()];
    }

    public MobileNet model() {
        return net.model;
    }

    /** Logits, [N, num_classes], for a float32 NCHW batch. */
    @Override
    public Tensor logits(Tensor x) {
        int[] s = checkInput(x);
        int classes = requireClassifier();
        float[] out = new float[s[0] * classes];
        logits(x.data(), s[0], s[2], s[3], out);
        return new Tensor(new int[] {s[0], classes}, out);
    }

    /** The pooled embedding before the classifier, [N, head_hidden_size] (timm's pre_logits). */
    @Override
    public Tensor preLogits(Tensor x) {
        int[] s = checkInput(x);
        int d = net.model.headHiddenSize();
        float[] out = new float[s[0] * d];
        preLogits(x.data(), s[0], s[2], s[3], out);
        return new Tensor(new int[] {s[0], d}, out);
    }

    /** Multi-scale feature maps in timm's features_only order, each [N, C, H/r, W/r]. */
    @Override
    public List<Tensor> features(Tensor x) {
        int[] s = checkInput(x);
        int n = s[0];
        int h = s[2];
        int w = s[3];
        ensure(h, w);
        List<FeatureInfo> info = net.model.featureInfo();
        float[][] outs = new float[info.size()][];
        int[][] shapes = new int[info.size()][];
        int[] dims = featureDims(h, w);
        for (int f = 0; f < info.size(); f++) {
            shapes[f] = new int[] {n, info.get(f).channels(), dims[2 * f], dims[2 * f + 1]};
            outs[f] = new float[(int) Tensor.numel(shapes[f])];
        }
        for (int i = 0; i < n; i++) {
            trunk(x.data(), i * 3 * h * w, h, w, outs, i);
        }
        List<Tensor> result = new ArrayList<>();
        for (int f = 0; f < outs.length; f++) {
            result.add(new Tensor(shapes[f], outs[f]));
        }
        return result;
    }

    /** Array form of {@link #logits(Tensor)}: {@code out} holds n * num_classes values. */
    public void logits(float[] x, int n, int h, int w, float[] out) {
        int classes = requireClassifier();
        checkSize(h, w);
        ensure(h, w);
        for (int i = 0; i < n; i++) {
            int cur = trunk(x, i * 3 * h * w, h, w, null, i);
            head(cur, hidden, 0);
            Kernels.matvecForward(out, i * classes, hidden, 0, net.clsW, net.clsB, hidden.length, classes);
        }
    }

    /** Array form of {@link #preLogits(Tensor)}: {@code out} holds n * head_hidden_size values. */
    public void preLogits(float[] x, int n, int h, int w, float[] out) {
        checkSize(h, w);
        ensure(h, w);
        int d = net.model.headHiddenSize();
        for (int i = 0; i < n; i++) {
            int cur = trunk(x, i * 3 * h * w, h, w, null, i);
            head(cur, out, i * d);
        }
    }

    private int requireClassifier() {
        if (net.clsW == null) {
            throw new MobileNetException(net.model.spec().arch() + " was built without a classifier (0 classes)");
        }
        return net.model.numClasses();
    }

    /** Checks a batch is float32 NCHW with 3 channels and at least 32x32; returns its shape. */
    public static int[] checkInput(Tensor x) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != 3) {
            throw new MobileNetException("input must be float32 NCHW with 3 channels, got shape " + x.shapeString());
        }
        if (s[0] < 1) {
            throw new MobileNetException("input batch is empty (shape " + x.shapeString() + ")");
        }
        checkSize(s[2], s[3]);
        return s;
    }

    private static void checkSize(int h, int w) {
        if (h < MobileNet.MIN_INPUT_SIZE || w < MobileNet.MIN_INPUT_SIZE) {
            throw new MobileNetException("input " + h + "x" + w + " is smaller than the minimum "
                    + MobileNet.MIN_INPUT_SIZE + "x" + MobileNet.MIN_INPUT_SIZE);
        }
    }

    /** Sizes the buffers for an input of h x w (no-op when already sized for it). */
    private void ensure(int h, int w) {
        if (h == sizedH && w == sizedW) {
            return;
        }
        long max = 0;
        int seMax = 0;
        long convMax = net.stem.scratchSize(h, w);
        int ch = net.stem.outSize(h);
        int cw = net.stem.outSize(w);
        max = Math.max(max, (long) net.stem.cout * ch * cw);
        for (FusedBlock b : net.blocks) {
            for (FusedStep st : b.steps) {
                if (st instanceof FusedConv) {
                    FusedConv c = (FusedConv) st;
                    convMax = Math.max(convMax, c.scratchSize(ch, cw));
                    ch = c.outSize(ch);
                    cw = c.outSize(cw);
                    max = Math.max(max, (long) c.cout * ch * cw);
                } else {
                    seMax = Math.max(seMax, ((FusedSe) st).scratchSize());
                }
            }
        }
        if (net.headConv != null) {
            max = Math.max(max, (long) net.headConv.cout * ch * cw);
            convMax = Math.max(convMax, net.headConv.scratchSize(ch, cw));
        }
        if (max > Integer.MAX_VALUE - 8 || convMax > Integer.MAX_VALUE - 8) {
            throw new MobileNetException("input " + h + "x" + w + " is too large");
        }
        for (int i = 0; i < 3; i++) {
            bufs[i] = new float[(int) max];
        }
        seScratch = new float[seMax];
        convScratch = new float[(int) convMax];
        sizedH = h;
        sizedW = w;
    }

    private int[] featureDims(int h, int w) {
        List<FeatureInfo> info = net.model.featureInfo();
        int[] dims = new int[2 * info.size()];
        int ch = net.stem.outSize(h);
        int cw = net.stem.outSize(w);
        int f = 0;
        if (net.stemFeature) {
            dims[0] = ch;
            dims[1] = cw;
            f = 1;
        }
        for (int bi = 0; bi < net.blocks.length; bi++) {
            for (FusedStep st : net.blocks[bi].steps) {
                if (st instanceof FusedConv) {
                    ch = ((FusedConv) st).outSize(ch);
                    cw = ((FusedConv) st).outSize(cw);
                }
            }
            if (f < info.size() && info.get(f).blockIndex() == bi) {
                dims[2 * f] = ch;
                dims[2 * f + 1] = cw;
                f++;
            }
        }
        return dims;
    }

    /**
     * Runs stem and blocks on one image; returns the index of the buffer holding the output (shape in
     * outC/outH/outW). When {@code feats} is given, copies feature maps into image {@code img}'s slot.
     */
    private int trunk(float[] x, int off, int h, int w, float[][] feats, int img) {
        int cur = 0;
        net.stem.forward(bufs[cur], 0, x, off, h, w, convScratch);
        int c = net.stem.cout;
        h = net.stem.outSize(h);
        w = net.stem.outSize(w);
        int f = 0;
        if (net.stemFeature && feats != null) {
            copyFeature(feats[f++], img, bufs[cur], c * h * w);
        }
        int nextFeature = 0;
        for (int bi = 0; bi < net.blocks.length; bi++) {
            FusedBlock b = net.blocks[bi];
            int src = cur;
            int sh = h;
            int sw = w;
            int sc = c;
            for (FusedStep st : b.steps) {
                if (st instanceof FusedConv) {
                    FusedConv conv = (FusedConv) st;
                    int dst = other(src, cur);
                    conv.forward(bufs[dst], 0, bufs[src], 0, sh, sw, convScratch);
                    sh = conv.outSize(sh);
                    sw = conv.outSize(sw);
                    sc = conv.cout;
                    src = dst;
                } else {
                    ((FusedSe) st).forward(bufs[src], 0, sh * sw, seScratch);
                }
            }
            if (b.skip) {
                Kernels.addForward(bufs[src], 0, bufs[cur], 0, sc * sh * sw);
            }
            cur = src;
            c = sc;
            h = sh;
            w = sw;
            if (feats != null && nextFeature < net.featureBlocks.length && net.featureBlocks[nextFeature] == bi) {
                copyFeature(feats[f++], img, bufs[cur], c * h * w);
                nextFeature++;
            }
        }
        outC = c;
        outH = h;
        outW = w;
        return cur;
    }

    private static void copyFeature(float[] dst, int img, float[] src, int len) {
        System.arraycopy(src, 0, dst, img * len, len);
    }

    /** A buffer that is neither the step input nor the block input. */
    private static int other(int src, int blockIn) {
        for (int i = 0; i < 3; i++) {
            if (i != src && i != blockIn) {
                return i;
            }
        }
        throw new AssertionError();
    }

    /** Pools and applies the head, writing head_hidden_size values at {@code out[outOff]}. */
    private void head(int cur, float[] out, int outOff) {
        int hw = outH * outW;
        if (net.headConv != null) {
            int dst = (cur + 1) % 3;
            net.headConv.forward(bufs[dst], 0, bufs[cur], 0, outH, outW, convScratch);
            Kernels.globalAvgPoolForward(out, outOff, bufs[dst], 0, net.headConv.cout, hw);
        } else if (net.headW != null) {
            Kernels.globalAvgPoolForward(pooled, 0, bufs[cur], 0, outC, hw);
            Kernels.matvecForward(out, outOff, pooled, 0, net.headW, net.headB, outC, net.headB.length);
            Kernels.activationForward(out, outOff, net.headB.length, net.headAct);
        } else {
            Kernels.globalAvgPoolForward(out, outOff, bufs[cur], 0, outC, hw);
        }
    }
}
