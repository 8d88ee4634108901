package dev.mobilenet.onnx;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.Version;
import dev.mobilenet.io.AtomicFiles;
import dev.mobilenet.kernels.Activation;
import dev.mobilenet.model.FusedBlock;
import dev.mobilenet.model.FusedConv;
import dev.mobilenet.model.FusedSe;
import dev.mobilenet.model.FusedStep;
import dev.mobilenet.model.Inference;
import dev.mobilenet.model.MapShape;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.Padding;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a compiled MobileNet as a standard ONNX graph: input {@code input} (float32 NCHW, dynamic batch), BatchNorm
 * folded into the convolutions, and the outputs chosen in {@link ExportOptions}. The graph mirrors the Java engine
 * step for step, so ONNX Runtime's results can be compared with it directly.
 */
public final class OnnxExporter {
    private static final float ONE_SIXTH = 1f / 6f;

    private final Inference net;
    private final ExportOptions opts;
    private final OnnxGraph g = new OnnxGraph();

    private OnnxExporter(Inference net, ExportOptions opts) {
        this.net = net;
        this.opts = opts;
    }

    /** The ONNX IR version that goes with an opset (opset 13: IR 7; 14-18: IR 8; 19-20: IR 9; 21: IR 10). */
    static int irVersion(int opset) {
        if (opset <= 13) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        return opset <= 20 ? 9 : 10;
    }

    /** Checks options against the model; throws a one-line MobileNetException. */
    public static void validate(ExportOptions o) {
        if (o.opset() < ExportOptions.MIN_OPSET || o.opset() > ExportOptions.MAX_OPSET) {
            throw new MobileNetException("opset " + o.opset() + " is not supported: use "
                    + ExportOptions.MIN_OPSET + " to " + ExportOptions.MAX_OPSET + " (default "
                    + ExportOptions.DEFAULT_OPSET + ")");
        }
        if (o.height() < MobileNet.MIN_INPUT_SIZE || o.width() < MobileNet.MIN_INPUT_SIZE) {
            throw new MobileNetException("cannot export at " + o.height() + "x" + o.width()
                    + ": MobileNets need an input of at least " + MobileNet.MIN_INPUT_SIZE + "x"
                    + MobileNet.MIN_INPUT_SIZE);
        }
    }

    public static byte[] export(MobileNet model, ExportOptions opts) {
        return export(model.compile(), opts);
    }

    public static byte[] export(Inference net, ExportOptions opts) {
        validate(opts);
        if (opts.output() == ExportOptions.Output.LOGITS && net.model().numClasses() == 0) {
            throw new MobileNetException(net.model().spec().arch() + " has no classifier (0 classes) to export");
        }
        return new OnnxExporter(net, opts).build();
    }

    /** Exports to a file, written whole or not at all. */
    public static void export(MobileNet model, ExportOptions opts, Path file) {
        byte[] bytes = export(model, opts);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    private byte[] build() {
        MobileNet m = net.model();
        Object batch = "batch";
        Object h = opts.dynamicSize() ? "height" : (Object) opts.height();
        Object w = opts.dynamicSize() ? "width" : (Object) opts.width();
        g.input("input", batch, 3, h, w);

        int end;
        switch (opts.output()) {
            case FEATURES:
                end = net.featuresEnd();
                break;
            case PRE_LOGITS:
                end = net.preLogitsEnd();
                break;
            default:
                end = net.steps().size();
        }
        Writer writer = new Writer(opts.height(), opts.width());
        List<FusedStep> steps = net.steps();
        for (int i = 0; i < end; i++) {
            steps.get(i).accept(writer);
        }
        if (opts.output() == ExportOptions.Output.PRE_LOGITS) {
            g.output(writer.flat(), "pre_logits", "batch", m.headHiddenSize());
        }
        metadata(m);
        return g.toModel(m.spec().arch(), irVersion(opts.opset()), opts.opset(), Version.get());
    }

    /** Writes the nodes of each compiled step; {@code x} is the value the next step reads. */
    private final class Writer implements FusedStep.Visitor {
        String x = "input";
        final MapShape shape;
        boolean flattened;

        Writer(int h, int w) {
            this.shape = new MapShape(h, w);
        }

        /** The current value as [batch, features], flattening the pooled map once. */
        String flat() {
            if (!flattened) {
                x = g.node("Flatten", "flatten", List.of(x), OnnxGraph.attr("axis", 1L));
                flattened = true;
            }
            return x;
        }

        @Override
        public void conv(FusedConv s) {
            x = OnnxExporter.this.conv(s, x, shape.height(), shape.width());
            shape.conv(s.outChannels(), s::outSize);
        }

        @Override
        public void se(FusedSe s) {
            x = squeezeExcite(s, x);
        }

        @Override
        public void block(FusedBlock b) {
            String in = x;
            b.steps().forEach(st -> st.accept(this));
            if (b.skip()) {
                x = g.node("Add", b.name() + ".add", List.of(x, in));
            }
        }

        @Override
        public void pool(FusedStep.Pool p) {
            x = g.node("GlobalAveragePool", p.name(), List.of(x));
        }

        @Override
        public void pooledConv(FusedStep.PooledConv p) {
            String pw = g.initializer(p.name() + ".weight", new int[] {p.out(), p.in(), 1, 1}, p.weight());
            String pb = g.initializer(p.name() + ".bias", new int[] {p.out()}, p.bias());
            x = g.node("Conv", p.name(), List.of(x, pw, pb), OnnxGraph.attrInts("kernel_shape", 1, 1));
            x = activation(p.act(), x, p.name());
            shape.channels(p.out());
        }

        @Override
        public void classifier(FusedStep.Classifier k) {
            String pre = flat();
            String kw = g.initializer(k.name() + ".weight", new int[] {k.out(), k.in()}, k.weight());
            String kb = g.initializer(k.name() + ".bias", new int[] {k.out()}, k.bias());
            x = g.node("Gemm", k.name(), List.of(pre, kw, kb), OnnxGraph.attr("transB", 1L));
            g.output(x, "logits", "batch", k.out());
        }

        @Override
        public void feature(FusedStep.Feature f) {
            if (opts.output() == ExportOptions.Output.FEATURES) {
                featureOutput(x, f.index(), shape.channels(), shape.height(), shape.width());
            }
        }
    }

    private void featureOutput(String value, int index, int channels, int h, int w) {
        Object oh = opts.dynamicSize() ? "features." + index + ".height" : (Object) h;
        Object ow = opts.dynamicSize() ? "features." + index + ".width" : (Object) w;
        g.output(value, "features." + index, "batch", channels, oh, ow);
    }

    private String conv(FusedConv c, String x, int h, int w) {
        int k = c.kernel();
        String wName = g.initializer(c.name() + ".weight",
                new int[] {c.outChannels(), c.inChannels() / c.groups(), k, k}, c.weight());
        String bName = g.initializer(c.name() + ".bias", new int[] {c.outChannels()}, c.bias());
        Padding p = c.padding();
        var pad = p.same() && opts.dynamicSize()
                ? OnnxGraph.attr("auto_pad", "SAME_UPPER")
                : OnnxGraph.attrInts("pads", p.before(h, k, c.stride(), c.dilation()),
                        p.before(w, k, c.stride(), c.dilation()), p.after(h, k, c.stride(), c.dilation()),
                        p.after(w, k, c.stride(), c.dilation()));
        String y = g.node("Conv", c.name(), List.of(x, wName, bName),
                OnnxGraph.attrInts("kernel_shape", k, k), OnnxGraph.attrInts("strides", c.stride(), c.stride()),
                OnnxGraph.attrInts("dilations", c.dilation(), c.dilation()), OnnxGraph.attr("group", c.groups()),
                pad);
        return activation(c.activation(), y, c.name());
    }

    private String squeezeExcite(FusedSe se, String x) {
        String n = se.name();
        String pooled = g.node("GlobalAveragePool", n + ".pool", List.of(x));
        String w1 = g.initializer(n + ".conv_reduce.weight", new int[] {se.reducedChannels(), se.channels(), 1, 1},
                se.reduceWeight());
        String b1 = g.initializer(n + ".conv_reduce.bias", new int[] {se.reducedChannels()}, se.reduceBias());
        String r = g.node("Conv", n + ".conv_reduce", List.of(pooled, w1, b1), OnnxGraph.attrInts("kernel_shape", 1, 1));
        r = activation(se.activation(), r, n + ".conv_reduce");
        String w2 = g.initializer(n + ".conv_expand.weight", new int[] {se.channels(), se.reducedChannels(), 1, 1},
                se.expandWeight());
        String b2 = g.initializer(n + ".conv_expand.bias", new int[] {se.channels()}, se.expandBias());
        String e = g.node("Conv", n + ".conv_expand", List.of(r, w2, b2), OnnxGraph.attrInts("kernel_shape", 1, 1));
        String gate = activation(se.gate(), e, n + ".gate");
        return g.node("Mul", n, List.of(x, gate));
    }

    private String activation(Activation act, String x, String name) {
        switch (act) {
            case IDENTITY:
                return x;
            case RELU:
                return g.node("Relu", name + ".act", List.of(x));
            case RELU6: {
                String lo = g.initializer("const.zero", new int[0], new float[] {0f});
                String hi = g.initializer("const.six", new int[0], new float[] {6f});
                return g.node("Clip", name + ".act", List.of(x, lo, hi));
            }
            case HARD_SIGMOID:
                return hardSigmoid(x, name + ".act");
            case HARD_SWISH:
                if (opts.opset() >= 14) {
                    return g.node("HardSwish", name + ".act", List.of(x));
                }
                return g.node("Mul", name + ".act", List.of(x, hardSigmoid(x, name + ".act.gate")));
            default:
                throw new AssertionError(act);
        }
    }

    /** relu6(x + 3) / 6 as ONNX HardSigmoid(alpha = 1/6, beta = 1/2). */
    private String hardSigmoid(String x, String name) {
        return g.node("HardSigmoid", name, List.of(x), OnnxGraph.attr("alpha", ONE_SIXTH),
                OnnxGraph.attr("beta", 0.5f));
    }

    private void metadata(MobileNet m) {
        g.metadata("arch", m.spec().arch());
        g.metadata("num_classes", Integer.toString(m.numClasses()));
        g.metadata("input_size", "3," + opts.height() + "," + opts.width());
        g.metadata("dynamic_size", Boolean.toString(opts.dynamicSize()));
        g.metadata("output", opts.output().name().toLowerCase(java.util.Locale.ROOT));
        opts.metadata().forEach(g::metadata);
    }
}
