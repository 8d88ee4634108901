package dev.mobilenet.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.training.engine.OptimizerConfig;
import dev.mobilenet.training.engine.Trainer;
import dev.mobilenet.training.engine.TrainerConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Training speed as timm's {@code benchmark.py --bench train} measures it: one batch of random images and labels,
 * warm-up steps, then measured steps of forward, loss, backward and one optimizer update. The numbers are per image
 * (step time / batch). {@link #readReference} reads the same numbers written by {@code tools/torch_train_bench.py}
 * for PyTorch, so that a comparison needs no Python at run time.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {
    }

    /**
     * @param batch       images per step
     * @param height      input height
     * @param width       input width
     * @param threads     trainer threads
     * @param opt         optimizer name as {@code train --opt} takes it ({@code momentum}: SGD with classical
     *                    momentum, as {@code torch.optim.SGD(momentum=0.9)})
     * @param lr          learning rate
     * @param warmupSteps steps run before measuring (at least 1: the first builds the graph)
     * @param steps       measured steps
     * @param seed        seeds the input, the labels and the trainer
     */
    public record Options(int batch, int height, int width, int threads, String opt, double lr, int warmupSteps,
                          int steps, long seed) {
        public Options {
            if (batch < 1 || height < 1 || width < 1 || threads < 1) {
                throw new MobileNetException("batch, size and threads must be at least 1, got batch " + batch
                        + ", " + height + "x" + width + ", threads " + threads);
            }
            if (warmupSteps < 1 || steps < 1) {
                throw new MobileNetException("warm-up and measured steps must be at least 1, got " + warmupSteps
                        + " and " + steps);
            }
            if ((long) batch * 3 * height * width > Integer.MAX_VALUE - 8) {
                throw new MobileNetException("a batch of " + batch + " images of " + height + "x" + width
                        + " is too large");
            }
            OptimizerConfig.timm(opt, lr, 0);
        }

        /** timm's benchmark defaults: batch 32, 224x224, SGD with momentum 0.9, lr 0.01; 2 warm-up and 5 steps. */
        public static Options defaults(int threads) {
            return new Options(32, 224, 224, threads, "momentum", 0.01, 2, 5, 42);
        }
    }

    /**
     * What one run measured.
     *
     * @param stepMs          every measured step's time in ms, in order
     * @param msPerImage      median step time / batch
     * @param p90MsPerImage   90th percentile step time / batch
     * @param imagesPerSecond batch / median step time
     * @param peakHeapBytes   sum of the heap pools' peak use since the trainer was built
     * @param peakRssBytes    the process's peak resident set (VmHWM), empty where /proc does not give it
     * @param firstLoss       the loss of the first step
     * @param lastLoss        the loss of the last measured step
     */
    public record Result(Options options, double[] stepMs, double msPerImage, double p90MsPerImage,
                         double imagesPerSecond, long peakHeapBytes, Optional<Long> peakRssBytes, double firstLoss,
                         double lastLoss) {
    }

    /** PyTorch's numbers for one model, as {@code tools/torch_train_bench.py} writes them. */
    public record Reference(String framework, String version, String model, int batch, int height, int width,
                            int threads, double msPerImage, double p90MsPerImage, Optional<Long> peakRssBytes) {
    }

    /** Trains {@code model} in place on random data for the warm-up and measured steps of {@code o}. */
    public static Result run(MobileNet model, Options o) {
        int classes = model.classifier == null ? 0 : model.numClasses();
        SplittableRandom rng = new SplittableRandom(o.seed());
        float[] x = new float[o.batch() * 3 * o.height() * o.width()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        int[] labels = new int[o.batch()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = classes > 0 ? rng.nextInt(classes) : 0;
        }
        TrainerConfig cfg = TrainerConfig.of(OptimizerConfig.timm(o.opt(), o.lr(), 0)).withThreads(o.threads())
                .withDrop(0, 0, o.seed());
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        double[] ms = new double[o.steps()];
        try (Trainer t = new Trainer(model, cfg)) {
            for (int i = 0; i < o.warmupSteps(); i++) {
                double loss = t.step(x, o.batch(), o.height(), o.width(), labels);
                if (i == 0) {
                    firstLoss = loss;
                }
            }
            for (int i = 0; i < o.steps(); i++) {
                long t0 = System.nanoTime();
                lastLoss = t.step(x, o.batch(), o.height(), o.width(), labels);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[(sorted.length - 1) / 2];
        double p90 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.9 * sorted.length) - 1)];
        return new Result(o, ms, median / o.batch(), p90 / o.batch(), 1000.0 * o.batch() / median, heap,
                peakRss(), firstLoss, lastLoss);
    }

    /** The process's peak resident set size from /proc/self/status (VmHWM), if the system gives it. */
    public static Optional<Long> peakRss() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Optional.of(Long.parseLong(f[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new MobileNetException("cannot read the peak resident set from " + status + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Reads {@code tools/torch_train_bench.py}'s JSON: {@code {"framework", "version", "results": [{"model", "batch",
     * "img_size", "threads", "ms_per_image", "p90_ms", "peak_rss_mb"}, ...]}}.
     */
    public static List<Reference> readReference(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new MobileNetException(file + ": not a readable JSON file (" + oneLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject() || !root.path("results").isArray()) {
            throw new MobileNetException(file + ": expected an object with a \"results\" array");
        }
        String framework = root.path("framework").asText("pytorch");
        String version = root.path("version").asText("");
        List<Reference> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : root.get("results")) {
            String where = file + ": results[" + i++ + "]";
            if (!r.path("model").isTextual()) {
                throw new MobileNetException(where + " has no \"model\" string");
            }
            int[] size = parseSize(r.path("img_size"), where);
            long rssMb = r.path("peak_rss_mb").isNumber() ? Math.round(r.get("peak_rss_mb").asDouble() * 1048576)
                    : -1;
            out.add(new Reference(framework, version, r.get("model").asText(), positiveInt(r, "batch", where),
                    size[0], size[1], positiveInt(r, "threads", where), positive(r, "ms_per_image", where),
                    r.path("p90_ms").isNumber() ? positive(r, "p90_ms", where) : Double.NaN,
                    rssMb > 0 ? Optional.of(rssMb) : Optional.empty()));
        }
        return out;
    }

    /**
     * The reference entry for {@code model} measured at the batch, size and thread count of {@code o}. Names match
     * without their pretrained tag ({@code mobilenetv3_small_100.lamb_in1k} is {@code mobilenetv3_small_100}).
     */
    public static Reference find(List<Reference> refs, String model, Options o, Path file) {
        List<Reference> sameModel = refs.stream().filter(r -> untagged(r.model()).equals(untagged(model))).toList();
        if (sameModel.isEmpty()) {
            throw new MobileNetException(file + " has no numbers for " + model);
        }
        return sameModel.stream().filter(r -> r.batch() == o.batch() && r.height() == o.height()
                        && r.width() == o.width() && r.threads() == o.threads()).findFirst()
                .orElseThrow(() -> new MobileNetException(file + " has " + model + " only at "
                        + sameModel.stream().map(r -> "batch " + r.batch() + " " + r.height() + "x" + r.width()
                        + " threads " + r.threads()).distinct().toList() + ", not at batch " + o.batch() + " "
                        + o.height() + "x" + o.width() + " threads " + o.threads()));
    }

    private static String untagged(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static int[] parseSize(JsonNode n, String where) {
        if (n.isInt() && n.asInt() > 0) {
            return new int[] {n.asInt(), n.asInt()};
        }
        if (n.isArray() && n.size() == 2 && n.get(0).isInt() && n.get(1).isInt() && n.get(0).asInt() > 0
                && n.get(1).asInt() > 0) {
            return new int[] {n.get(0).asInt(), n.get(1).asInt()};
        }
        throw new MobileNetException(where + ": \"img_size\" must be a positive integer or [height, width]");
    }

    private static int positiveInt(JsonNode r, String field, String where) {
        JsonNode n = r.path(field);
        if (!n.isInt() || n.asInt() < 1) {
            throw new MobileNetException(where + ": \"" + field + "\" must be a positive integer");
        }
        return n.asInt();
    }

    private static double positive(JsonNode r, String field, String where) {
        JsonNode n = r.path(field);
        if (!n.isNumber() || !(n.asDouble() > 0) || Double.isInfinite(n.asDouble())) {
            throw new MobileNetException(where + ": \"" + field + "\" must be a positive number");
        }
        return n.asDouble();
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.lines().findFirst().orElse("").trim();
    }
}
