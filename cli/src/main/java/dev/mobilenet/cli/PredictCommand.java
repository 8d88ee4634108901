package dev.mobilenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.Printable;
import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.Top;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images with a pretrained MobileNet: timm's weights from the Hugging Face Hub "
                + "(downloaded once, then cached) or --weights, timm's preprocessing exactly, and the top classes "
                + "with their softmax probabilities.",
            "A file that cannot be decoded is reported on stderr and skipped; the exit code is then 1."})
final class PredictCommand extends StreamsCommand {
    @Mixin
    ClassifierOptions options;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "Classes per image (default: 5).")
    int top;

    @Option(names = "--json", description = "One JSON object per image and line: file, then top-k index, label, "
            + "probability.")
    boolean json;

    @Override
    public Integer call() {
        options.validate();
        OptionChecks.atLeastOne("--top", top);
        long started = System.nanoTime();
        double jvmSeconds = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        LoadedModel m = options.load(io.err());
        PrintWriter out = io.out();
        ObjectMapper om = new ObjectMapper();
        List<Path> files = options.files(io.err());
        int[] failed = {options.skippedFolders()};
        long loaded = System.nanoTime();
        long loadedCpu = processCpuNanos();
        try (ImageClassifier c = options.classifier(m)) {
            c.classify(files, top, o -> {
                if (o instanceof ImageClassifier.Failure) {
                    failed[0]++;
                    io.err().println("mobilenet: " + ((ImageClassifier.Failure) o).message());
                    return;
                }
                ImageClassifier.Prediction p = (ImageClassifier.Prediction) o;
                if (json) {
                    ObjectNode row = om.createObjectNode();
                    row.put("file", p.file().toString());
                    ArrayNode arr = row.putArray("top");
                    for (Top t : p.top()) {
                        arr.addObject().put("index", t.index()).put("label", t.label())
                                .put("probability", t.probability());
                    }
                    out.println(row.toString());
                } else {
                    out.println(Printable.escape(p.file().toString()));
                    int rank = 1;
                    for (Top t : p.top()) {
                        out.printf(Locale.ROOT, "  %2d  %-40s %8.4f%n", rank++, Printable.escape(t.label()),
                                t.probability());
                    }
                }
                out.flush();
                if (out.checkError()) {
                    throw new UncheckedIOException(new java.io.IOException("cannot write to standard output"));
                }
            });
        }
        if (io.verbose()) {
            // The steady-state rate, without the JVM's start and the model's load (docs/SCALING.md compares it).
            double load = (loaded - started) / 1e9;
            double run = (System.nanoTime() - loaded) / 1e9;
            io.err().printf(Locale.ROOT, "mobilenet predict: phases: JVM start %.1f s, model and file list %.1f s, "
                    + "images %.1f s (CPU %.1f s; %d files, %.1f files/s)%n", jvmSeconds, load, run,
                    (processCpuNanos() - loadedCpu) / 1e9, files.size(), files.size() / run);
        }
        return failed[0] == 0 ? 0 : 1;
    }

    /** This process's CPU time, all threads (0 where the JVM does not say). */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }
}
