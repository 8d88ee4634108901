package dev.mobilenet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.model.Benchmark;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.onnxruntime.OrtEngine;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.training.TrainBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time a model on random input: warm up, then report the median and p90 ms per image, images per"
                + " second, heap in use and bytes allocated per call.",
            "With --compare, the Java engine and ONNX Runtime run alternately in the same process and the ratio is"
                + " printed.",
            "With --train, time training steps instead (forward, backward, optimizer update on random data, as timm's"
                + " benchmark.py --bench train); --compare FILE then prints the ratio to PyTorch's numbers written by"
                + " tools/torch_train_bench.py."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    BatchOption calls;

    @Mixin
    EngineOption engine;

    @Option(names = "--compare", paramLabel = "FILE", arity = "0..1", fallbackValue = "",
            description = "Run the Java engine and ONNX Runtime alternately and print the ratio; with --train, the"
                    + " ratio to PyTorch's numbers in FILE (tools/torch_train_bench.py's JSON).")
    String compare;

    @Option(names = "--train", description = "Time training steps (forward, backward, optimizer update).")
    boolean train;

    /** The library's defaults are the options' defaults (picocli shows a field's initial value as its default). */
    private static final TrainBenchmark.Options TRAIN_DEFAULTS = TrainBenchmark.Options.defaults(1);
    private static final Benchmark.Options DEFAULTS = Benchmark.Options.defaults();

    @Option(names = "--opt", paramLabel = "NAME",
            description = "With --train: sgd (Nesterov), momentum, rmsproptf, adamw or lamb (default: ${DEFAULT-VALUE},"
                    + " as torch.optim.SGD with momentum 0.9).")
    String opt = TRAIN_DEFAULTS.opt();

    @Option(names = "--lr", paramLabel = "LR",
            description = "With --train: the learning rate (default: ${DEFAULT-VALUE}).")
    double lr = TRAIN_DEFAULTS.lr();

    @Option(names = "--warmup-steps", paramLabel = "N",
            description = "With --train: steps before measuring (default: ${DEFAULT-VALUE}).")
    int warmupSteps = TRAIN_DEFAULTS.warmupSteps();

    @Option(names = "--steps", paramLabel = "N",
            description = "With --train: measured steps (default: ${DEFAULT-VALUE}).")
    int steps = TRAIN_DEFAULTS.steps();

    @Mixin
    InputSizeOption inputSize;

    @Option(names = "--warmup", paramLabel = "SECONDS",
            description = "Warm-up per engine (default: ${DEFAULT-VALUE}).")
    double warmup = DEFAULTS.warmupSeconds();

    @Option(names = "--seconds", paramLabel = "SECONDS",
            description = "Measured time per engine (default: ${DEFAULT-VALUE}).")
    double seconds = DEFAULTS.seconds();

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--layers", description = "Then time one image step by step (batch 1, the same threads) and"
            + " print ms and GMAC/s per layer kind.")
    boolean layers;

    @Override
    public Integer call() throws Exception {
        if (train) {
            return trainBench();
        }
        if (compare != null && !compare.isEmpty()) {
            throw new MobileNetException("--compare takes a file only with --train; without it, --compare runs"
                    + " ONNX Runtime beside the Java engine");
        }
        boolean compare = this.compare != null;
        int batch = calls.batch();
        int t = calls.threads();
        InputSize size = inputSize.orDefault(modelOptions.ref());
        MobileNet net = modelOptions.load().net();
        Tensor x = randomInput(batch, size.height(), size.width());
        List<Benchmark.Contender> contenders = new ArrayList<>();
        try {
            if (compare || engine.kind == EngineOption.Kind.java) {
                contenders.add(new Benchmark.Contender("java", net.compile().newSession(t)));
            }
            if (compare || engine.kind == EngineOption.Kind.onnxruntime) {
                contenders.add(new Benchmark.Contender("onnxruntime", new OrtEngine(net, t)));
            }
            List<Benchmark.Result> results = Benchmark.run(contenders, x,
                    new Benchmark.Options(warmup, seconds, DEFAULTS.roundSeconds(), DEFAULTS.minCalls()));
            long macs = net.macs(size.height(), size.width());
            LayerProfile profile = null;
            if (layers && contenders.get(0).engine() instanceof Session) {
                // About two seconds of single images, after the warm-up above.
                int calls = (int) Math.max(20, Math.min(10_000, 2000 / results.get(0).msPerImage()));
                profile = LayerProfile.of(((Session) contenders.get(0).engine()).profile(x, calls), calls);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(toJson(net, size, t, macs, results, profile));
            } else {
                printTable(out, net, size, t, macs, results);
                if (profile != null) {
                    profile.print(out);
                }
            }
            out.flush();
        } finally {
            for (Benchmark.Contender c : contenders) {
                c.engine().close();
            }
        }
        return 0;
    }

    private int trainBench() throws JsonProcessingException {
        if (engine.kind != EngineOption.Kind.java) {
            throw new MobileNetException("--train runs the Java engine only");
        }
        if (compare != null && compare.isEmpty()) {
            throw new MobileNetException("--compare with --train needs the file of PyTorch's numbers"
                    + " (tools/torch_train_bench.py)");
        }
        int t = calls.threads.orCores();
        modelOptions.ref();
        InputSize size = inputSize.given != null ? inputSize.given
                : new InputSize(TRAIN_DEFAULTS.height(), TRAIN_DEFAULTS.width());
        TrainBenchmark.Options o = new TrainBenchmark.Options(batchGiven() ? calls.batch : TRAIN_DEFAULTS.batch(),
                size.height(), size.width(), t, opt, lr, warmupSteps, steps, modelOptions.seed);
        Optional<TrainBenchmark.Reference> ref = Optional.empty();
        if (compare != null) {
            Path file = Path.of(compare);
            ref = Optional.of(TrainBenchmark.find(TrainBenchmark.readReference(file), modelOptions.ref().name(), o,
                    file));
        }
        MobileNet net = modelOptions.load().net();
        TrainBenchmark.Result r = TrainBenchmark.run(net, o);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? TrainBenchReport.json(modelOptions.ref().name(), r, ref)
                : TrainBenchReport.table(modelOptions.ref().name(), r, ref));
        out.flush();
        return 0;
    }

    private boolean batchGiven() {
        return spec.commandLine().getParseResult().hasMatchedOption("--batch");
    }

    /** Uniform [-1, 1) values: the arithmetic, and so the time, does not depend on them. */
    private static Tensor randomInput(int n, int h, int w) {
        SplittableRandom rng = new SplittableRandom(42);
        long count = (long) n * 3 * h * w;
        if (count > Integer.MAX_VALUE - 8) {
            throw new MobileNetException("a batch of " + n + " images of " + h + "x" + w + " is too large");
        }
        float[] d = new float[(int) count];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return new Tensor(new int[] {n, 3, h, w}, d);
    }

    private String toJson(MobileNet net, InputSize size, int t, long macs, List<Benchmark.Result> results,
                          LayerProfile profile) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("model", modelOptions.ref().name());
        root.put("batch", calls.batch);
        root.put("threads", t);
        root.put("input_size", size.height() + "x" + size.width());
        root.put("macs_per_image", macs);
        root.put("java_version", System.getProperty("java.version"));
        root.put("kernels", Kernels.describe());
        Benchmark.Result first = results.get(0);
        put(root, first, macs);
        root.put("engine", first.engine());
        if (results.size() > 1) {
            ArrayNode all = root.putArray("engines");
            for (Benchmark.Result r : results) {
                ObjectNode o = all.addObject();
                o.put("engine", r.engine());
                put(o, r, macs);
            }
            root.put("ratio", first.msPerImage() / results.get(1).msPerImage());
        }
        if (profile != null) {
            profile.put(root.putArray("layers"));
        }
        return om.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static void put(ObjectNode o, Benchmark.Result r, long macs) {
        o.put("ms_per_image", round(r.msPerImage()));
        o.put("p90_ms", round(r.p90MsPerImage()));
        o.put("images_per_second", round(r.imagesPerSecond()));
        o.put("gmacs_per_second", round(macs / r.msPerImage() / 1e6));
        o.put("calls", r.calls());
        if (r.allocatedPerCall() >= 0) {
            o.put("allocated_bytes_per_call", r.allocatedPerCall());
        }
        o.put("heap_used_mb", round(r.heapUsedBytes() / 1048576.0));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private void printTable(PrintWriter out, MobileNet net, InputSize size, int t, long macs,
                            List<Benchmark.Result> results) {
        out.printf(Locale.ROOT, "%s, batch %d, %dx%d, %d thread%s, Java %s, kernels %s%n", modelOptions.ref().name(),
                calls.batch, size.height(), size.width(), t, t == 1 ? "" : "s", System.getProperty("java.version"),
                Kernels.describe());
        out.printf(Locale.ROOT, "%-12s %10s %10s %10s %10s %14s%n", "engine", "ms/image", "p90 ms", "images/s",
                "GMAC/s", "alloc/call");
        for (Benchmark.Result r : results) {
            out.printf(Locale.ROOT, "%-12s %10.2f %10.2f %10.1f %10.1f %14s%n", r.engine(), r.msPerImage(),
                    r.p90MsPerImage(), r.imagesPerSecond(), macs / r.msPerImage() / 1e6,
                    r.allocatedPerCall() < 0 ? "n/a" : r.allocatedPerCall() + " B");
        }
        if (results.size() > 1) {
            out.printf(Locale.ROOT, "ratio %s/%s: %.2fx (ms per image)%n", results.get(0).engine(),
                    results.get(1).engine(), results.get(0).msPerImage() / results.get(1).msPerImage());
        }
        out.printf(Locale.ROOT, "heap in use after warm-up: %.1f MB%n", results.get(0).heapUsedBytes() / 1048576.0);
    }
}
