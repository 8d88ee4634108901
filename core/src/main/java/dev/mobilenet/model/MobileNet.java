package dev.mobilenet.model;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.ArchConfig;
import dev.mobilenet.arch.HeadStyle;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.kernels.Activation;
import dev.mobilenet.nn.BatchNorm2d;
import dev.mobilenet.nn.Block;
import dev.mobilenet.nn.Conv2d;
import dev.mobilenet.nn.InvertedResidual;
import dev.mobilenet.nn.Linear;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.nn.Step;
import dev.mobilenet.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A MobileNet V1/V2/V3 network with timm's module structure and state-dict keys. It owns the parameters;
 * {@link #compile()} turns them into an inference plan with BatchNorm folded into the convolutions.
 */
public final class MobileNet {
    /** Smallest input side accepted: five stride-2 stages need at least 32 pixels. */
    public static final int MIN_INPUT_SIZE = 32;

    private final ModelSpec spec;
    private final ArchConfig config;
    private final int numClasses;
    public final Conv2d convStem;
    public final BatchNorm2d bn1;
    public final List<List<Block>> blocks;
    /** Null for V1 without the head conv. */
    public final Conv2d convHead;
    /** V1/V2 head BatchNorm(+act); null for V3, whose head has no norm. */
    public final BatchNorm2d bn2;
    /** Null when the model has no classifier (num_classes 0). */
    public final Linear classifier;
    private final List<FeatureInfo> featureInfo;
    private final int numFeatures;
    private final int headHiddenSize;
    private final List<Step> plan;

    MobileNet(ModelSpec spec, ArchConfig config, int numClasses, Conv2d convStem, BatchNorm2d bn1,
              List<List<Block>> blocks, Conv2d convHead, BatchNorm2d bn2, Linear classifier,
              List<FeatureInfo> featureInfo, int numFeatures, int headHiddenSize) {
        this.spec = spec;
        this.config = config;
        this.numClasses = numClasses;
        this.convStem = convStem;
        this.bn1 = bn1;
        this.blocks = Collections.unmodifiableList(blocks);
        this.convHead = convHead;
        this.bn2 = bn2;
        this.classifier = classifier;
        this.featureInfo = List.copyOf(featureInfo);
        this.numFeatures = numFeatures;
        this.headHiddenSize = headHiddenSize;
        this.plan = buildPlan();
    }

    /** The network once, in forward order, with timm's module names and feature_info taps. */
    private List<Step> buildPlan() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.ConvBn("conv_stem", convStem, "bn1", bn1));
        int f = 0;
        if (!featureInfo.isEmpty() && featureInfo.get(0).blockIndex() < 0) {
            steps.add(new Step.Feature(f++));
        }
        int flat = 0;
        for (int i = 0; i < blocks.size(); i++) {
            for (int j = 0; j < blocks.get(i).size(); j++) {
                Block b = blocks.get(i).get(j);
                steps.add(new Step.BlockStep("blocks." + i + "." + j, b, flat, b.steps()));
                if (f < featureInfo.size() && featureInfo.get(f).blockIndex() == flat) {
                    steps.add(new Step.Feature(f++));
                }
                flat++;
            }
        }
        if (config.headStyle() == HeadStyle.CONV_BN_POOL) {
            if (convHead != null) {
                steps.add(new Step.ConvBn("conv_head", convHead, "bn2", bn2));
            }
            steps.add(new Step.Pool("global_pool"));
        } else {
            steps.add(new Step.Pool("global_pool"));
            steps.add(new Step.PooledConv("conv_head", convHead, config.act()));
        }
        if (classifier != null) {
            steps.add(new Step.Classifier("classifier", classifier));
        }
        return List.copyOf(steps);
    }

    /**
     * The network's forward pass, described once: stem, blocks (with their steps), head, classifier, and where
     * feature_info's maps are taken. Compilation, sessions, training, export and the per-layer table all read it.
     */
    public List<Step> plan() {
        return plan;
    }

    /**
     * The most classifier outputs a model may have: over four times ImageNet-21k's 21843, and small enough that the
     * classifier of the widest head (1792 x 100,000 floats, 717 MB) fits in one Java array.
     */
    public static final int MAX_CLASSES = 100_000;

    /** Builds an architecture by name ({@code arch} or {@code arch.tag}) with timm-style random initialisation. */
    public static MobileNet create(String name) {
        Registry.ModelRef ref = Registry.resolve(name);
        return create(ref.spec(), ref.numClasses(), 0L);
    }

    /** Builds an architecture with {@code numClasses} outputs (0 for none), randomly initialised from {@code seed}. */
    public static MobileNet create(ModelSpec spec, int numClasses, long seed) {
        if (numClasses < 0 || numClasses > MAX_CLASSES) {
            throw new MobileNetException("number of classes must be between 0 and " + MAX_CLASSES + ", got "
                    + numClasses);
        }
        MobileNet m = MobileNetBuilder.build(spec, numClasses);
        m.initialize(new Random(seed));
        return m;
    }

    public ModelSpec spec() {
        return spec;
    }

    public ArchConfig config() {
        return config;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Channels of the last block's output (timm's {@code num_features} for V3; after the head conv for V1/V2). */
    public int numFeatures() {
        return numFeatures;
    }

    /** Size of the pre-logits embedding (timm's {@code head_hidden_size}). */
    public int headHiddenSize() {
        return headHiddenSize;
    }

    public List<FeatureInfo> featureInfo() {
        return featureInfo;
    }

    public HeadStyle headStyle() {
        return config.headStyle();
    }

    /** Every block in order, flattened over stages. */
    public List<Block> flatBlocks() {
        List<Block> all = new ArrayList<>();
        blocks.forEach(all::addAll);
        return all;
    }

    /** The state dict in timm's key order; entries share the model's arrays. */
    public Map<String, ParamRef> stateDict() {
        Map<String, ParamRef> sd = new LinkedHashMap<>();
        Step.collect(plan, "", sd);
        return sd;
    }

    /** Number of trainable parameters, as {@code sum(p.numel() for p in model.parameters())}. */
    public long paramCount() {
        long n = 0;
        for (ParamRef p : stateDict().values()) {
            if (p.kind().trainable()) {
                n += p.data().length;
            }
        }
        return n;
    }

    /**
     * Copies a state dict into the model. Float entries must match the model's keys and shapes exactly; integer
     * {@code num_batches_tracked} entries are optional and kept when present.
     *
     * @param floats   float entries (any source precision already converted to float32)
     * @param counters integer entries by key (values ignored except num_batches_tracked)
     * @throws MobileNetException listing every missing, unexpected and mis-shaped key
     */
    public void loadStateDict(Map<String, Tensor> floats, Map<String, Long> counters) {
        Map<String, ParamRef> sd = stateDict();
        Set<String> missing = new TreeSet<>(Registry.NATURAL);
        Set<String> unexpected = new TreeSet<>(Registry.NATURAL);
        List<String> wrongShape = new ArrayList<>();
        for (ParamRef p : sd.values()) {
            if (p.isCounter()) {
                continue;
            }
            Tensor t = floats.get(p.key());
            if (t == null) {
                missing.add(p.key());
            } else if (!java.util.Arrays.equals(t.shape(), p.shape())) {
                wrongShape.add(p.key() + " is " + shape(t.shape()) + " but the model has " + p.shapeString());
            }
        }
        for (String k : floats.keySet()) {
            ParamRef p = sd.get(k);
            if (p == null || p.isCounter()) {
                unexpected.add(k);
            }
        }
        for (String k : counters.keySet()) {
            ParamRef p = sd.get(k);
            if (p == null || !p.isCounter()) {
                unexpected.add(k);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missing " + keys(missing));
            }
            if (!unexpected.isEmpty()) {
                parts.add("unexpected " + keys(unexpected));
            }
            if (!wrongShape.isEmpty()) {
                // Capped like the key lists: a model of another width mismatches every tensor.
                String shown = String.join("; ", wrongShape.subList(0, Math.min(8, wrongShape.size())));
                parts.add("wrong shape: " + shown
                        + (wrongShape.size() > 8 ? "; ... (" + (wrongShape.size() - 8) + " more)" : ""));
            }
            throw new MobileNetException("weights do not fit " + spec.arch() + " with " + numClasses
                    + " classes: " + String.join("; ", parts));
        }
        for (ParamRef p : sd.values()) {
            if (p.isCounter()) {
                Long v = counters.get(p.key());
                p.counter()[0] = v == null ? 0L : v;
            } else {
                float[] src = floats.get(p.key()).data();
                System.arraycopy(src, 0, p.data(), 0, src.length);
            }
        }
    }

    private static String shape(int[] s) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) {
            sb.append(i > 0 ? ", " : "").append(s[i]);
        }
        return sb.append(s.length == 1 ? ",)" : ")").toString();
    }

    private static String keys(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        String shown = String.join(", ", list.subList(0, Math.min(8, list.size())));
        String more = list.size() > 8 ? ", ... (" + (list.size() - 8) + " more)" : "";
        return list.size() + (list.size() == 1 ? " key: " : " keys: ") + shown + more;
    }

    /**
     * timm's _init_weight_goog: conv weights N(0, sqrt(2 / fan_out)) with fan_out = k*k*out/groups, linear weights
     * U(-1/sqrt(out), 1/sqrt(out)), biases zero, BatchNorm weight 1 and bias 0, running stats 0 and 1.
     */
    public void initialize(Random rng) {
        for (ParamRef p : stateDict().values()) {
            if (p.isCounter()) {
                p.counter()[0] = 0;
            } else if (p.kind() == ParamRef.Kind.RUNNING_VAR || (p.kind() == ParamRef.Kind.WEIGHT
                    && p.shape().length == 1)) {
                java.util.Arrays.fill(p.data(), 1f);
            } else {
                java.util.Arrays.fill(p.data(), 0f);
            }
        }
        for (Conv2d c : convs()) {
            double std = Math.sqrt(2.0 / (c.kernel * c.kernel * c.outChannels / c.groups));
            for (int i = 0; i < c.weight.length; i++) {
                c.weight[i] = (float) (rng.nextGaussian() * std);
            }
        }
        if (classifier != null) {
            double r = 1.0 / Math.sqrt(classifier.outFeatures);
            for (int i = 0; i < classifier.weight.length; i++) {
                classifier.weight[i] = (float) ((rng.nextDouble() * 2 - 1) * r);
            }
        }
    }

    /** Every convolution, in forward order (SE convs included). */
    public List<Conv2d> convs() {
        List<Conv2d> out = new ArrayList<>();
        Step.Visitor v = new Step.Visitor() {
            @Override
            public void convBn(Step.ConvBn s) {
                out.add(s.conv());
            }

            @Override
            public void se(Step.Se s) {
                out.add(s.se().convReduce);
                out.add(s.se().convExpand);
            }

            @Override
            public void pool(Step.Pool s) {
            }

            @Override
            public void pooledConv(Step.PooledConv s) {
                out.add(s.conv());
            }

            @Override
            public void classifier(Step.Classifier s) {
            }

            @Override
            public void feature(Step.Feature s) {
            }
        };
        plan.forEach(s -> s.accept(v));
        return out;
    }

    /** An inference plan with BatchNorm folded in; immutable and safe to share between threads. */
    public Inference compile() {
        return new Inference(this);
    }

    /** The per-layer table for one image of {@code height x width}: a row per top-level step, a block in one row. */
    public List<LayerInfo> summary(int height, int width) {
        SummaryWalk walk = new SummaryWalk(height, width);
        plan.forEach(s -> s.accept(walk));
        return walk.rows;
    }

    /** Follows the spatial size through the plan; a block's steps are summed into the block's row. */
    private static final class SummaryWalk implements Step.Visitor {
        final List<LayerInfo> rows = new ArrayList<>();
        final MapShape shape;
        boolean inBlock;
        long params;
        long macs;
        Activation act;

        SummaryWalk(int height, int width) {
            this.shape = new MapShape(height, width);
        }

        @Override
        public void convBn(Step.ConvBn s) {
            Conv2d conv = s.conv();
            shape.conv(conv.outChannels, conv::outSize);
            long p = conv.paramCount() + s.bn().paramCount();
            long m = conv.macs(shape.height(), shape.width());
            if (inBlock) {
                params += p;
                macs += m;
                if (s.bn().act != Activation.IDENTITY) {
                    act = s.bn().act;
                }
            } else {
                rows.add(new LayerInfo(s.name(), "Conv2d", ks(conv), "-", false, s.bn().act.timmName(),
                        new int[] {shape.channels(), shape.height(), shape.width()}, p, m));
            }
        }

        @Override
        public void se(Step.Se s) {
            params += s.se().paramCount();
            macs += s.se().macs();
        }

        @Override
        public void block(Step.BlockStep s) {
            Block b = s.block();
            params = 0;
            macs = 0;
            act = Activation.IDENTITY;
            inBlock = true;
            s.steps().forEach(st -> st.accept(this));
            inBlock = false;
            String exp = b instanceof InvertedResidual ? trim((double) b.midChannels() / b.inChannels()) : "-";
            rows.add(new LayerInfo(s.name(), operator(b), ks(b.strideConv()), exp, b.se() != null,
                    act.timmName(), new int[] {b.outChannels(), shape.height(), shape.width()}, params, macs));
        }

        @Override
        public void pool(Step.Pool s) {
            rows.add(new LayerInfo(s.name(), "AvgPool", shape.height() + "x" + shape.width(), "-", false, "-",
                    new int[] {shape.channels(), 1, 1}, 0, 0));
            shape.pool();
        }

        @Override
        public void pooledConv(Step.PooledConv s) {
            Conv2d conv = s.conv();
            shape.channels(conv.outChannels);
            rows.add(new LayerInfo(s.name(), "Conv2d", ks(conv), "-", false, s.act().timmName(),
                    new int[] {shape.channels(), 1, 1}, conv.paramCount(), conv.macs(1, 1)));
        }

        @Override
        public void classifier(Step.Classifier s) {
            Linear fc = s.fc();
            rows.add(new LayerInfo(s.name(), "Linear", "-", "-", false, "-", new int[] {fc.outFeatures, 1, 1},
                    fc.paramCount(), (long) fc.inFeatures * fc.outFeatures));
        }

        @Override
        public void feature(Step.Feature s) {
        }
    }

    /** Conv and linear multiply-accumulates for one image. */
    public long macs(int height, int width) {
        long total = 0;
        for (LayerInfo l : summary(height, width)) {
            total += l.macs();
        }
        return total;
    }

    private static String operator(Block b) {
        switch (b.type()) {
            case DS:
            case DSA:
                return "DepthwiseSeparable";
            case IR:
                return "InvertedResidual";
            default:
                return "ConvBnAct";
        }
    }

    private static String ks(Conv2d c) {
        return c.kernel + "x" + c.kernel + "/" + c.stride;
    }

    private static String trim(double v) {
        double r = Math.round(v * 100) / 100.0;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }
}
