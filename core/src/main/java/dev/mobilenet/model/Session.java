package dev.mobilenet.model;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.kernels.ConvGeom;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an {@link Inference} plan on {@code threads} threads. Activations live in HWC buffers with channels padded
 * to the vector length. A batch of at least {@code threads} images is split by image, each thread with its own
 * buffers; a smaller batch splits every layer's work over the threads. Buffers are sized on the first call for an
 * input size and reused, so the array methods allocate nothing in steady state. One caller at a time: a session is
 * not re-entrant. Close it to stop its worker threads.
 */
public final class Session implements Engine {
    private final Inference net;
    private final WorkerPool pool;
    private final Workspace[] spaces;
    private final LayerTask layerTask = new LayerTask();
    private final BatchTask batchTask = new BatchTask();
    private int sizedH = -1;
    private int sizedW = -1;
    /** Geometry of every conv at the sized input, in execution order (stem, block convs, head conv). */
    private ConvGeom[] geoms = new ConvGeom[0];

    /** One thread's buffers. */
    private static final class Workspace {
        final float[][] bufs = new float[3][];
        float[] se;
        final float[] pooled;
        final float[] hidden;
        int outC;
        int outH;
        int outW;

        Workspace(MobileNet m) {
            int last = m.flatBlocks().get(m.flatBlocks().size() - 1).outChannels();
            this.pooled = new float[Kernels.alignChannels(Math.max(m.numFeatures(), last))];
            this.hidden = new float[Math.max(1, m.headHiddenSize())];
        }
    }

    Session(Inference net, int threads) {
        if (threads < 1) {
            throw new MobileNetException("threads must be at least 1, got " + threads);
        }
        this.net = net;
        this.pool = threads > 1 ? new WorkerPool(threads, "mobilenet-worker") : null;
        this.spaces = new Workspace[threads];
        for (int i = 0; i < threads; i++) {
            spaces[i] = new Workspace(net.model);
        }
    }

    public MobileNet model() {
        return net.model;
    }

    @Override
    public int numClasses() {
        return net.model.numClasses();
    }

    /** Threads this session runs on. */
    public int threads() {
        return spaces.length;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
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
        int[] dims = featureDims();
        for (int f = 0; f < info.size(); f++) {
            shapes[f] = new int[] {n, info.get(f).channels(), dims[2 * f], dims[2 * f + 1]};
            outs[f] = new float[(int) Tensor.numel(shapes[f])];
        }
        for (int i = 0; i < n; i++) {
            trunk(spaces[0], x.data(), i * 3 * h * w, outs, i, pool != null);
        }
        List<Tensor> result = new ArrayList<>();
        for (int f = 0; f < outs.length; f++) {
            result.add(new Tensor(shapes[f], outs[f]));
        }
        return result;
    }

    /** Array form of {@link #logits(Tensor)}: {@code out} holds n * num_classes values. Allocates nothing. */
    @Override
    public void logits(float[] x, int n, int h, int w, float[] out) {
        requireClassifier();
        runBatch(x, n, h, w, out, true);
    }

    /** Array form of {@link #preLogits(Tensor)}: {@code out} holds n * head_hidden_size values. */
    public void preLogits(float[] x, int n, int h, int w, float[] out) {
        runBatch(x, n, h, w, out, false);
    }

    private void runBatch(float[] x, int n, int h, int w, float[] out, boolean logits) {
        checkSize(h, w);
        ensure(h, w);
        if (pool == null || n < spaces.length) {
            for (int i = 0; i < n; i++) {
                image(spaces[0], x, i, out, logits, pool != null);
            }
            return;
        }
        batchTask.set(x, n, out, logits);
        pool.run(batchTask);
    }

    /** Trunk and head for image {@code i} of the batch. */
    private void image(Workspace ws, float[] x, int i, float[] out, boolean logits, boolean parallel) {
        int hw3 = 3 * sizedH * sizedW;
        int cur = trunk(ws, x, i * hw3, null, i, parallel);
        if (logits) {
            int classes = net.model.numClasses();
            head(ws, cur, ws.hidden, 0);
            Kernels.matvecForward(out, i * classes, ws.hidden, 0, net.clsW, net.clsB, ws.hidden.length, classes);
        } else {
            head(ws, cur, out, i * net.model.headHiddenSize());
        }
    }

    /** Images split over the threads, each running whole images on its own workspace. */
    private final class BatchTask implements WorkerPool.Task {
        private float[] x;
        private int n;
        private float[] out;
        private boolean logits;

        void set(float[] x, int n, float[] out, boolean logits) {
            this.x = x;
            this.n = n;
            this.out = out;
            this.logits = logits;
        }

        @Override
        public void run(int part, int parts) {
            for (int i = part; i < n; i += parts) {
                image(spaces[part], x, i, out, logits, false);
            }
        }
    }

    /** One conv's work split over the threads. */
    private static final class LayerTask implements WorkerPool.Task {
        private FusedConv conv;
        private float[] out;
        private float[] in;
        private int inOff;
        private int ldi;
        private ConvGeom g;
        private float[] res;

        @Override
        public void run(int part, int parts) {
            int units = conv.units(g);
            // Pixel ranges start on multiples of 12, whole tiles of the point-wise kernel.
            int align = conv.kind == FusedConv.Kind.POINTWISE ? 12 : 1;
            int chunks = (units + align - 1) / align;
            int u0 = Math.min(units, (int) ((long) chunks * part / parts) * align);
            int u1 = Math.min(units, (int) ((long) chunks * (part + 1) / parts) * align);
            if (u0 < u1) {
                conv.run(out, 0, in, inOff, ldi, g, res, 0, u0, u1);
            }
        }
    }

    private void conv(FusedConv c, ConvGeom g, float[] out, float[] in, int inOff, int ldi, float[] res,
                      boolean parallel) {
        if (!parallel) {
            c.run(out, 0, in, inOff, ldi, g, res, 0, 0, c.units(g));
            return;
        }
        LayerTask t = layerTask;
        t.conv = c;
        t.out = out;
        t.in = in;
        t.inOff = inOff;
        t.ldi = ldi;
        t.g = g;
        t.res = res;
        pool.run(t);
        t.in = null;
        t.out = null;
        t.res = null;
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

    /** Sizes the buffers and geometries for an input of h x w (no-op when already sized for it). */
    private void ensure(int h, int w) {
        if (h == sizedH && w == sizedW) {
            return;
        }
        List<ConvGeom> gs = new ArrayList<>();
        long max = 0;
        int seMax = 0;
        ConvGeom g = net.stem.geometry(h, w);
        gs.add(g);
        max = Math.max(max, (long) net.stem.outStride() * g.oh() * g.ow());
        int ch = g.oh();
        int cw = g.ow();
        for (FusedBlock b : net.blocks) {
            for (FusedStep st : b.steps) {
                if (st instanceof FusedConv) {
                    FusedConv c = (FusedConv) st;
                    g = c.geometry(ch, cw);
                    gs.add(g);
                    ch = g.oh();
                    cw = g.ow();
                    max = Math.max(max, (long) c.outStride() * ch * cw);
                } else {
                    seMax = Math.max(seMax, ((FusedSe) st).scratchSize());
                }
            }
        }
        if (net.headConv != null) {
            g = net.headConv.geometry(ch, cw);
            gs.add(g);
            max = Math.max(max, (long) net.headConv.outStride() * g.oh() * g.ow());
        }
        if (max > Integer.MAX_VALUE - 8) {
            throw new MobileNetException("input " + h + "x" + w + " is too large");
        }
        for (Workspace ws : spaces) {
            for (int i = 0; i < 3; i++) {
                ws.bufs[i] = new float[(int) max];
            }
            ws.se = new float[seMax];
        }
        geoms = gs.toArray(new ConvGeom[0]);
        sizedH = h;
        sizedW = w;
    }

    private int[] featureDims() {
        List<FeatureInfo> info = net.model.featureInfo();
        int[] dims = new int[2 * info.size()];
        int gi = 0;
        ConvGeom g = geoms[gi++];
        int f = 0;
        if (net.stemFeature) {
            dims[0] = g.oh();
            dims[1] = g.ow();
            f = 1;
        }
        for (int bi = 0; bi < net.blocks.length; bi++) {
            for (FusedStep st : net.blocks[bi].steps) {
                if (st instanceof FusedConv) {
                    g = geoms[gi++];
                }
            }
            if (f < info.size() && info.get(f).blockIndex() == bi) {
                dims[2 * f] = g.oh();
                dims[2 * f + 1] = g.ow();
                f++;
            }
        }
        return dims;
    }

    /**
     * Runs stem and blocks on one image; returns the index of the buffer holding the output (shape in the
     * workspace's outC/outH/outW). When {@code feats} is given, copies feature maps, as CHW, into image
     * {@code img}'s slot.
     */
    private int trunk(Workspace ws, float[] x, int off, float[][] feats, int img, boolean parallel) {
        float[][] bufs = ws.bufs;
        int gi = 0;
        ConvGeom g = geoms[gi++];
        int cur = 0;
        conv(net.stem, g, bufs[cur], x, off, 0, null, parallel);
        int c = net.stem.cout;
        int ld = net.stem.outStride();
        int h = g.oh();
        int w = g.ow();
        int f = 0;
        if (net.stemFeature && feats != null) {
            copyFeature(feats[f++], img, bufs[cur], c, ld, h * w);
        }
        int nextFeature = 0;
        for (int bi = 0; bi < net.blocks.length; bi++) {
            FusedBlock b = net.blocks[bi];
            int src = cur;
            int sh = h;
            int sw = w;
            int sc = c;
            int sld = ld;
            boolean added = false;
            for (int si = 0; si < b.steps.length; si++) {
                FusedStep st = b.steps[si];
                if (st instanceof FusedConv) {
                    FusedConv cv = (FusedConv) st;
                    g = geoms[gi++];
                    int dst = other(src, cur);
                    boolean fuseSkip = b.skip && si == b.steps.length - 1 && cv.kind == FusedConv.Kind.POINTWISE;
                    conv(cv, g, bufs[dst], bufs[src], 0, sld, fuseSkip ? bufs[cur] : null, parallel);
                    added |= fuseSkip;
                    sh = g.oh();
                    sw = g.ow();
                    sc = cv.cout;
                    sld = cv.outStride();
                    src = dst;
                } else {
                    ((FusedSe) st).forward(bufs[src], 0, sld, sh * sw, ws.se);
                }
            }
            if (b.skip && !added) {
                Kernels.addForward(bufs[src], 0, bufs[cur], 0, sld * sh * sw);
            }
            cur = src;
            c = sc;
            ld = sld;
            h = sh;
            w = sw;
            if (feats != null && nextFeature < net.featureBlocks.length && net.featureBlocks[nextFeature] == bi) {
                copyFeature(feats[f++], img, bufs[cur], c, ld, h * w);
                nextFeature++;
            }
        }
        ws.outC = c;
        ws.outH = h;
        ws.outW = w;
        return cur;
    }

    /** HWC (row stride ld) to the CHW slot of image {@code img}. */
    private static void copyFeature(float[] dst, int img, float[] src, int c, int ld, int hw) {
        int base = img * c * hw;
        for (int p = 0; p < hw; p++) {
            for (int ch = 0; ch < c; ch++) {
                dst[base + ch * hw + p] = src[p * ld + ch];
            }
        }
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
    private void head(Workspace ws, int cur, float[] out, int outOff) {
        int hw = ws.outH * ws.outW;
        int ld = Kernels.alignChannels(ws.outC);
        if (net.headConv != null) {
            int dst = (cur + 1) % 3;
            ConvGeom g = geoms[geoms.length - 1];
            net.headConv.run(ws.bufs[dst], 0, ws.bufs[cur], 0, ld, g, null, 0, 0, net.headConv.units(g));
            Kernels.globalAvgPoolNhwc(ws.pooled, 0, ws.bufs[dst], 0, net.headConv.outStride(), net.headConv.cout,
                    hw);
            System.arraycopy(ws.pooled, 0, out, outOff, net.headConv.cout);
        } else if (net.headW != null) {
            Kernels.globalAvgPoolNhwc(ws.pooled, 0, ws.bufs[cur], 0, ld, ws.outC, hw);
            Kernels.matvecForward(out, outOff, ws.pooled, 0, net.headW, net.headB, ws.outC, net.headB.length);
            Kernels.activationForward(out, outOff, net.headB.length, net.headAct);
        } else {
            Kernels.globalAvgPoolNhwc(ws.pooled, 0, ws.bufs[cur], 0, ld, ws.outC, hw);
            System.arraycopy(ws.pooled, 0, out, outOff, ws.outC);
        }
    }
}
