package dev.mobilenet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.kernels.Kernels;
import dev.mobilenet.training.TrainBenchmark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Optional;

/** {@code bench --train}'s output: a table or one JSON object, with PyTorch's numbers beside when given. */
final class TrainBenchReport {
    private static final double MB = 1048576.0;

    private TrainBenchReport() {
    }

    static String json(String model, TrainBenchmark.Result r, Optional<TrainBenchmark.Reference> ref)
            throws JsonProcessingException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        TrainBenchmark.Options o = r.options();
        root.put("bench", "train");
        root.put("model", model);
        root.put("batch", o.batch());
        root.put("img_size", o.height() + "x" + o.width());
        root.put("threads", o.threads());
        root.put("opt", o.opt());
        root.put("lr", o.lr());
        root.put("warmup_steps", o.warmupSteps());
        root.put("steps", o.steps());
        root.put("java_version", System.getProperty("java.version"));
        root.put("kernels", Kernels.describe());
        root.put("ms_per_image", round(r.msPerImage()));
        root.put("p90_ms", round(r.p90MsPerImage()));
        root.put("images_per_second", round(r.imagesPerSecond()));
        ArrayNode steps = root.putArray("step_ms");
        for (double s : r.stepMs()) {
            steps.add(round(s));
        }
        root.put("peak_heap_mb", round(r.peakHeapBytes() / MB));
        r.peakRssBytes().ifPresent(b -> root.put("peak_rss_mb", round(b / MB)));
        root.put("first_loss", round(r.firstLoss()));
        root.put("last_loss", round(r.lastLoss()));
        ref.ifPresent(p -> {
            ObjectNode t = root.putObject("reference");
            t.put("framework", p.framework());
            t.put("version", p.version());
            t.put("ms_per_image", p.msPerImage());
            if (!Double.isNaN(p.p90MsPerImage())) {
                t.put("p90_ms", p.p90MsPerImage());
            }
            p.peakRssBytes().ifPresent(b -> t.put("peak_rss_mb", round(b / MB)));
            root.put("ratio", round(r.msPerImage() / p.msPerImage()));
            rssRatio(r, p).ifPresent(x -> root.put("peak_rss_ratio", round(x)));
        });
        return om.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    static String table(String model, TrainBenchmark.Result r, Optional<TrainBenchmark.Reference> ref) {
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw);
        TrainBenchmark.Options o = r.options();
        out.printf(Locale.ROOT, "%s training, batch %d, %dx%d, %d thread%s, %s lr %s, Java %s, kernels %s%n", model,
                o.batch(), o.height(), o.width(), o.threads(), o.threads() == 1 ? "" : "s", o.opt(), o.lr(),
                System.getProperty("java.version"), Kernels.describe());
        out.printf(Locale.ROOT, "%-16s %10s %10s %10s %12s%n", "", "ms/image", "p90 ms", "images/s", "peak RSS MB");
        out.printf(Locale.ROOT, "%-16s %10.2f %10.2f %10.1f %12s%n", "java", r.msPerImage(), r.p90MsPerImage(),
                r.imagesPerSecond(), r.peakRssBytes().map(b -> String.format(Locale.ROOT, "%.0f", b / MB))
                        .orElse("n/a"));
        ref.ifPresent(p -> {
            out.printf(Locale.ROOT, "%-16s %10.2f %10s %10.1f %12s%n", (p.framework() + " " + p.version()).trim(),
                    p.msPerImage(), Double.isNaN(p.p90MsPerImage()) ? "n/a"
                            : String.format(Locale.ROOT, "%.2f", p.p90MsPerImage()), 1000.0 / p.msPerImage(),
                    p.peakRssBytes().map(b -> String.format(Locale.ROOT, "%.0f", b / MB)).orElse("n/a"));
            out.printf(Locale.ROOT, "ratio java/%s: %.2fx (ms per image)%s%n", p.framework(),
                    r.msPerImage() / p.msPerImage(), rssRatio(r, p).map(x -> String.format(Locale.ROOT,
                            ", %.2fx (peak RSS)", x)).orElse(""));
        });
        out.printf(Locale.ROOT, "peak heap %.1f MB; loss %.4f (first step) -> %.4f (last)%n", r.peakHeapBytes() / MB,
                r.firstLoss(), r.lastLoss());
        out.flush();
        return sw.toString().stripTrailing();
    }

    private static Optional<Double> rssRatio(TrainBenchmark.Result r, TrainBenchmark.Reference p) {
        if (r.peakRssBytes().isEmpty() || p.peakRssBytes().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((double) r.peakRssBytes().get() / p.peakRssBytes().get());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
