package dev.mobilenet.model;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.kernels.Activation;
import dev.mobilenet.kernels.ConvGeom;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs an {@link Inference} plan on {@code threads} threads. Activations live in HWC buffers with channels padded
 * to the vector length. A batch of at least {@code threads} images is split by image, each thread with its own
 * buffers; a smaller batch splits every layer's work over the threads. Buffers are sized on the first call for an
 * input size and reused, so the array methods allocate nothing in steady state. One caller at a time: a session is
 * not re-entrant. Close it to stop its worker threads.
 */
public final class Session implements Engine {
    /**
     * Where each activation buffer's first pixel starts. The buffers are large, and G1 places large ("humongous")
     * arrays at the start of a heap region, so their elements begin 16 bytes (the array header) past a 64-byte
     * boundary; 12 floats more put every pixel's channel vectors on 64-byte boundaries, and no 256- or 512-bit load
     * splits across two cache lines (measured: 7-9% less time for mobilenetv2_100 at 256-bit lanes).
     */
    static final int BASE = 12;
    /**
     * How far apart (in floats) the three activation buffers' first pixels sit modulo 4 KiB: 17 cache lines. Large
     * arrays all start on a region boundary, so without it a layer's input and output pixel {@code p} share an address
     * modulo 4 KiB, and the core's memory disambiguation stalls loads behind unrelated stores ("4K aliasing"): a
     * 14x14x512 depthwise layer ran 108-126 us against 81-84 us staggered (256-bit lanes, JDK 25).
     */
    static final int STAGGER = 17 * 16;

    /**
     * The least length of an activation buffer: just over half a G1 region, so that G1 allocates it as a humongous
     * object, which starts on a region boundary and never moves. A smaller buffer (mobilenetv3_small_100's are under
     * 1 MB) would sit at whatever 8-byte boundary allocation gave it, and move at each collection: its vectors would
     * split across cache lines in some runs and not in others (a 14x14x512 depthwise layer 108 against 132 us). Zero
     * when the collector is not G1 or its region size cannot be read (then only speed, never results, differ).
     */
    static final int MIN_BUFFER_FLOATS = humongousFloats();

    private static int humongousFloats() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null || !Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
            return (int) Math.min(Integer.MAX_VALUE - 64, region / 2 / Float.BYTES + 64);
        } catch (IllegalArgumentException | LinkageError e) {
            // An unknown option (another JVM) or no jdk.management module: no placement to ask for.
            return 0;
        }
    }

    /**
     * A buffer of at least {@code needed} floats, raised to {@link #MIN_BUFFER_FLOATS} when that costs at most four
     * times the memory: with large heaps (16 or 32 MB regions) and small inputs the raise would cost more memory than
     * the placement saves time.
     */
    static int bufferFloats(int needed) {
        return MIN_BUFFER_FLOATS > needed && MIN_BUFFER_FLOATS <= 4L * needed ? MIN_BUFFER_FLOATS : needed;
    }

    /** Where buffer {@code i}'s first pixel starts. */
    static int off(int i) {
        return BASE + i * STAGGER;
    }
    private final Inference net;
    private final WorkerPool pool;
    private final Workspace[] spaces;
    private final LayerTask layerTask;
    private final RowsTask rowsTask = new RowsTask();
    private final SeTask seTask = new SeTask();
    private final BatchTask batchTask = new BatchTask();
    private int sizedH = -1;
    private int sizedW = -1;
    /** Geometry of every conv at the sized input, in execution order. */
    private ConvGeom[] geoms = new ConvGeom[0];
    /** Height and width of every feature map at the sized input. */
    private int[] featureDims = new int[0];

    /**
     * One thread's buffers, and its pass through the compiled plan: three HWC buffers (a step's input, its output and
     * the block input kept for the residual), then one vector per image after pooling.
     */
    private final class Workspace implements FusedStep.Visitor {
        final float[][] bufs = new float[3][];
        float[] se;
        final float[] pooled;
        final float[] hidden;
        private float[] x;
        private int xOff;
        private float[][] feats;
        private int img;
        private float[] out;
        private int outOff;
        private boolean parallel;
        private int gi;
        /** The buffer holding the current map, of c channels, row stride ld, h x w. */
        private int cur;
        private int c;
        private int ld;
        private int h;
        private int w;
        private int blockIn = -1;
        private boolean fuseSkip;
        private boolean added;
        /** The current vector once pooled. */
        float[] vec;
        /** Nanoseconds per leaf step, in execution order, while {@link #profile} runs; null otherwise. */
        long[] timing;
        private int ti;

        Workspace(MobileNet m) {
            int last = m.flatBlocks().get(m.flatBlocks().size() - 1).outChannels();
            this.pooled = new float[Kernels.alignChannels(Math.max(m.numFeatures(), last))];
            this.hidden = new float[Math.max(1, m.headHiddenSize())];
        }

        /**
         * Runs steps {@code [0, end)} on the image at {@code x[xOff]}; feature maps go to image {@code img}'s slot of
         * {@code feats} when given, logits to {@code out[outOff]}.
         */
        void run(int end, float[] x, int xOff, float[][] feats, int img, float[] out, int outOff,
                 boolean parallel) {
            this.x = x;
            this.xOff = xOff;
            this.feats = feats;
            this.img = img;
            this.out = out;
            this.outOff = outOff;
            this.parallel = parallel;
            gi = 0;
            ti = 0;
            blockIn = -1;
            for (int i = 0; i < end; i++) {
                net.steps[i].accept(this);
            }
            this.x = null;
            this.feats = null;
            this.out = null;
        }

        private long tick() {
            return timing == null ? 0 : System.nanoTime();
        }

        private void tock(long start) {
            if (timing != null) {
                timing[ti++] += System.nanoTime() - start;
            }
        }

        @Override
        public void conv(FusedConv cv) {
            long start = tick();
            ConvGeom g = geoms[gi++];
            if (cv.kind == FusedConv.Kind.STEM) {
                Session.this.conv(cv, g, bufs[0], off(0), x, xOff, 0, null, 0, parallel);
                cur = 0;
            } else {
                int dst = other(cur, blockIn);
                boolean fuse = fuseSkip && cv.kind == FusedConv.Kind.POINTWISE;
                Session.this.conv(cv, g, bufs[dst], off(dst), bufs[cur], off(cur), ld, fuse ? bufs[blockIn] : null,
                        fuse ? off(blockIn) : 0, parallel);
                added |= fuse;
                cur = dst;
            }
            c = cv.cout;
            ld = cv.outStride();
            h = g.oh();
            w = g.ow();
            tock(start);
        }

        @Override
        public void se(FusedSe s) {
            long start = tick();
            if (parallel) {
                Session.this.se(s, bufs[cur], off(cur), ld, h * w, se);
            } else {
                s.forward(bufs[cur], off(cur), ld, h * w, se);
            }
            tock(start);
        }

        @Override
        public void block(FusedBlock b) {
            int in = cur;
            blockIn = in;
            added = false;
            List<FusedStep> steps = b.steps();
            for (int si = 0; si < steps.size(); si++) {
                fuseSkip = b.skip() && si == steps.size() - 1;
                steps.get(si).accept(this);
            }
            fuseSkip = false;
            if (b.skip() && !added) {
                Kernels.add(bufs[cur], off(cur), bufs[in], off(in), ld * h * w);
            }
            blockIn = -1;
        }

        @Override
        public void pool(FusedStep.Pool p) {
            long start = tick();
            Kernels.globalAvgPool(pooled, 0, bufs[cur], off(cur), ld, c, h * w);
            vec = pooled;
            tock(start);
        }

        @Override
        public void pooledConv(FusedStep.PooledConv p) {
            long start = tick();
            dense(hidden, 0, vec, p.weight(), p.bias(), p.in(), p.out(), p.act(), parallel);
            vec = hidden;
            tock(start);
        }

        @Override
        public void classifier(FusedStep.Classifier k) {
            long start = tick();
            dense(out, outOff, vec, k.weight(), k.bias(), k.in(), k.out(), Activation.IDENTITY, parallel);
            tock(start);
        }

        @Override
        public void feature(FusedStep.Feature f) {
            long start = tick();
            if (feats != null) {
                copyFeature(feats[f.index()], img, bufs[cur], off(cur), c, ld, h * w);
            }
            tock(start);
        }
    }

    /** Follows an input size through the compiled plan: conv geometries, buffer sizes, feature map sizes. */
    private static final class Sizer implements FusedStep.Visitor {
        final List<ConvGeom> geoms = new ArrayList<>();
        final int[] dims;
        long maxMap;
        int seMax;
        int h;
        int w;

        Sizer(int h, int w, int features) {
            this.h = h;
            this.w = w;
            this.dims = new int[2 * features];
        }

        @Override
        public void conv(FusedConv c) {
            ConvGeom g = c.geometry(h, w);
            geoms.add(g);
            h = g.oh();
            w = g.ow();
            maxMap = Math.max(maxMap, (long) c.outStride() * h * w);
        }

        @Override
        public void se(FusedSe s) {
            seMax = Math.max(seMax, s.scratchSize());
        }

        @Override
        public void pool(FusedStep.Pool p) {
        }

        @Override
        public void pooledConv(FusedStep.PooledConv p) {
        }

        @Override
        public void classifier(FusedStep.Classifier k) {
        }

        @Override
        public void feature(FusedStep.Feature f) {
            dims[2 * f.index()] = h;
            dims[2 * f.index() + 1] = w;
        }
    }

    /** More threads than any machine here has cores; each costs a workspace of the largest activations. */
    public static final int MAX_THREADS = 256;

    Session(Inference net, int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new MobileNetException("threads must be between 1 and " + MAX_THREADS + ", got " + threads);
        }
        this.net = net;
        this.pool = threads > 1 ? new WorkerPool(threads, "mobilenet-worker") : null;
        this.layerTask = new LayerTask(threads);
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
        for (int f = 0; f < info.size(); f++) {
            shapes[f] = new int[] {n, info.get(f).channels(), featureDims[2 * f], featureDims[2 * f + 1]};
            outs[f] = new float[(int) Tensor.numel(shapes[f])];
        }
        for (int i = 0; i < n; i++) {
            spaces[0].run(net.featuresEnd, x.data(), i * 3 * h * w, outs, i, null, 0, pool != null);
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

    /** The whole plan (logits) or all but the classifier (pre-logits) for image {@code i} of the batch. */
    private void image(Workspace ws, float[] x, int i, float[] out, boolean logits, boolean parallel) {
        int hw3 = 3 * sizedH * sizedW;
        if (logits) {
            ws.run(net.steps.length, x, i * hw3, null, i, out, i * net.model.numClasses(), parallel);
        } else {
            int d = net.model.headHiddenSize();
            ws.run(net.preLogitsEnd, x, i * hw3, null, i, null, 0, parallel);
            System.arraycopy(ws.vec, 0, out, i * d, d);
        }
    }

    /** Images split over the threads, each running whole images on its own workspace. */
    private final class BatchTask implements WorkerPool.Task {
        private final AtomicInteger next = new AtomicInteger();
        private float[] x;
        private int n;
        private float[] out;
        private boolean logits;

        void set(float[] x, int n, float[] out, boolean logits) {
            next.set(0);
            this.x = x;
            this.n = n;
            this.out = out;
            this.logits = logits;
        }

        @Override
        public void run(int part, int parts) {
            // Images are taken one at a time, so that a thread the machine pauses holds up only its current image.
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                image(spaces[part], x, i, out, logits, false);
            }
        }
    }

    /** One conv's work split over the threads. */
    private static final class LayerTask implements WorkerPool.Task {
        private final Shares shares;
        private FusedConv conv;
        private float[] out;
        private int outOff;
        private float[] in;
        private int inOff;
        private int ldi;
        private ConvGeom g;
        private float[] res;
        private int resOff;

        LayerTask(int parts) {
            this.shares = new Shares(parts);
        }

        @Override
        public void run(int part, int parts) {
            int units = conv.units(g);
            // Pixel ranges start on multiples of 12, whole tiles of the point-wise kernel.
            int align = conv.kind == FusedConv.Kind.POINTWISE ? 12 : 1;
            int chunks = (units + align - 1) / align;
            for (int k = 0; k < parts; k++) {
                int share = (part + k) % parts;
                int a0 = WorkerPool.from(chunks, share, parts);
                int a1 = WorkerPool.from(chunks, share + 1, parts);
                for (int piece = shares.take(share); piece >= 0; piece = shares.take(share)) {
                    int u0 = Math.min(units, (a0 + WorkerPool.from(a1 - a0, piece, Shares.PIECES)) * align);
                    int u1 = Math.min(units, (a0 + WorkerPool.from(a1 - a0, piece + 1, Shares.PIECES)) * align);
                    if (u0 < u1) {
                        conv.run(out, outOff, in, inOff, ldi, g, res, resOff, u0, u1);
                    }
                }
            }
        }
    }

    /** One image's squeeze-excitation with its two passes over the map split over the threads. */
    private static final class SeTask implements WorkerPool.Task {
        private FusedSe se;
        private float[] x;
        private int xOff;
        private int ld;
        private int hw;
        private float[] scratch;
        private boolean squeeze;

        @Override
        public void run(int part, int parts) {
            if (squeeze) {
                int unit = Kernels.channelAlign();
                int vectors = (se.channels() + unit - 1) / unit;
                int c0 = Math.min(se.channels(), WorkerPool.from(vectors, part, parts) * unit);
                int c1 = Math.min(se.channels(), WorkerPool.from(vectors, part + 1, parts) * unit);
                if (c0 < c1) {
                    se.pool(x, xOff, ld, hw, scratch, c0, c1);
                }
            } else {
                se.scale(x, xOff, ld, scratch, WorkerPool.from(hw, part, parts), WorkerPool.from(hw, part + 1, parts));
            }
        }
    }

    private void se(FusedSe s, float[] x, int xOff, int ld, int hw, float[] scratch) {
        SeTask t = seTask;
        t.se = s;
        t.x = x;
        t.xOff = xOff;
        t.ld = ld;
        t.hw = hw;
        t.scratch = scratch;
        t.squeeze = true;
        pool.run(t);
        s.gate(scratch);
        t.squeeze = false;
        pool.run(t);
        t.x = null;
        t.scratch = null;
    }

    /** A dense layer's rows split over the threads (one image's head and classifier). */
    private static final class RowsTask implements WorkerPool.Task {
        private float[] out;
        private int outOff;
        private float[] x;
        private float[] w;
        private float[] bias;
        private int in;
        private int rows;
        private Activation act;

        @Override
        public void run(int part, int parts) {
            // Whole blocks of four rows, the vector matvec's unit.
            int blocks = (rows + 3) / 4;
            int o0 = Math.min(rows, WorkerPool.from(blocks, part, parts) * 4);
            int o1 = Math.min(rows, WorkerPool.from(blocks, part + 1, parts) * 4);
            if (o0 < o1) {
                denseRows(out, outOff, x, w, bias, in, act, o0, o1);
            }
        }
    }

    /** Rows {@code o0 <= o < o1} of a dense layer, activation applied. */
    private static void denseRows(float[] out, int outOff, float[] x, float[] w, float[] bias, int in,
                                  Activation act, int o0, int o1) {
        Kernels.matvec(out, outOff, x, 0, w, bias, in, o0, o1);
        Kernels.activation(out, outOff + o0, o1 - o0, act);
    }

    /** {@code out[outOff + o] = act(bias[o] + sum_i w[o][i] * x[i])} for the {@code rows} rows. */
    private void dense(float[] out, int outOff, float[] x, float[] w, float[] bias, int in, int rows, Activation act,
                       boolean parallel) {
        if (!parallel) {
            // Threads running whole images call this at once: the shared task is only for the split case.
            denseRows(out, outOff, x, w, bias, in, act, 0, rows);
            return;
        }
        RowsTask t = rowsTask;
        t.out = out;
        t.outOff = outOff;
        t.x = x;
        t.w = w;
        t.bias = bias;
        t.in = in;
        t.rows = rows;
        t.act = act;
        pool.run(t);
        t.out = null;
        t.x = null;
    }

    private void conv(FusedConv c, ConvGeom g, float[] out, int outOff, float[] in, int inOff, int ldi, float[] res,
                      int resOff, boolean parallel) {
        if (!parallel) {
            c.run(out, outOff, in, inOff, ldi, g, res, resOff, 0, c.units(g));
            return;
        }
        LayerTask t = layerTask;
        t.conv = c;
        t.out = out;
        t.outOff = outOff;
        t.in = in;
        t.inOff = inOff;
        t.ldi = ldi;
        t.g = g;
        t.res = res;
        t.resOff = resOff;
        t.shares.reset();
        pool.run(t);
        t.in = null;
        t.out = null;
        t.res = null;
    }

    /**
     * Time spent in one step of the compiled plan.
     *
     * @param kind  stem, pointwise, depthwise, general (a grouped conv), se, pool, head (the pooled conv_head),
     *              classifier or feature
     * @param macs  multiply-accumulates of one image in this step
     * @param nanos wall time over all profiled calls (the threads share each step, as in a batch-1 call)
     */
    public record StepTime(String name, String kind, long macs, long nanos) {
    }

    /**
     * Runs {@code calls} batch-1 logits calls on the first image of {@code x}, timing every step: where the time of
     * one image goes, layer by layer. The clock reads add about 50 ns per step.
     */
    public List<StepTime> profile(Tensor x, int calls) {
        int[] s = checkInput(x);
        int classes = requireClassifier();
        ensure(s[2], s[3]);
        Leaves leaves = new Leaves();
        for (FusedStep st : net.steps) {
            st.accept(leaves);
        }
        Workspace ws = spaces[0];
        ws.timing = new long[leaves.names.size()];
        float[] out = new float[classes];
        try {
            for (int c = 0; c < calls; c++) {
                image(ws, x.data(), 0, out, true, pool != null);
            }
        } finally {
            long[] t = ws.timing;
            ws.timing = null;
            leaves.nanos = t;
        }
        List<StepTime> result = new ArrayList<>();
        for (int i = 0; i < leaves.names.size(); i++) {
            result.add(new StepTime(leaves.names.get(i), leaves.kinds.get(i), leaves.macs.get(i), leaves.nanos[i]));
        }
        return result;
    }

    /** The leaf steps in execution order, with their kinds and MACs at the sized input. */
    private final class Leaves implements FusedStep.Visitor {
        final List<String> names = new ArrayList<>();
        final List<String> kinds = new ArrayList<>();
        final List<Long> macs = new ArrayList<>();
        long[] nanos;
        private int gi;

        private void add(String name, String kind, long m) {
            names.add(name);
            kinds.add(kind);
            macs.add(m);
        }

        @Override
        public void conv(FusedConv cv) {
            ConvGeom g = geoms[gi++];
            long m = (long) g.oh() * g.ow() * cv.cout * (cv.cin / cv.groups) * cv.k * cv.k;
            add(cv.name(), cv.kind.name().toLowerCase(java.util.Locale.ROOT), m);
        }

        @Override
        public void se(FusedSe s) {
            add(s.name(), "se", 2L * s.channels() * s.reducedChannels());
        }

        @Override
        public void pool(FusedStep.Pool p) {
            add(p.name(), "pool", 0);
        }

        @Override
        public void pooledConv(FusedStep.PooledConv p) {
            add(p.name(), "head", (long) p.in() * p.out());
        }

        @Override
        public void classifier(FusedStep.Classifier k) {
            add(k.name(), "classifier", (long) k.in() * k.out());
        }

        @Override
        public void feature(FusedStep.Feature f) {
            add(f.name(), "feature", 0);
        }
    }

    private int requireClassifier() {
        if (net.preLogitsEnd == net.steps.length) {
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
        Sizer sizer = new Sizer(h, w, net.model.featureInfo().size());
        for (FusedStep st : net.steps) {
            st.accept(sizer);
        }
        if (sizer.maxMap > Integer.MAX_VALUE - 8 - off(2)) {
            throw new MobileNetException("input " + h + "x" + w + " is too large");
        }
        for (Workspace ws : spaces) {
            for (int i = 0; i < 3; i++) {
                ws.bufs[i] = new float[bufferFloats((int) sizer.maxMap + off(2))];
            }
            ws.se = new float[sizer.seMax];
        }
        geoms = sizer.geoms.toArray(new ConvGeom[0]);
        featureDims = sizer.dims;
        sizedH = h;
        sizedW = w;
    }

    /** HWC (row stride ld) to the CHW slot of image {@code img}. */
    private static void copyFeature(float[] dst, int img, float[] src, int srcOff, int c, int ld, int hw) {
        int base = img * c * hw;
        for (int p = 0; p < hw; p++) {
            for (int ch = 0; ch < c; ch++) {
                dst[base + ch * hw + p] = src[srcOff + p * ld + ch];
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
}
