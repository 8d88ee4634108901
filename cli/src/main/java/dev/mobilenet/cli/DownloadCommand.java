package dev.mobilenet.cli;

import dev.mobilenet.hub.ProgressListener;
import dev.mobilenet.hub.ResolvedWeights;
import dev.mobilenet.hub.TimmHub;
import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.List;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download timm's pretrained weights (model.safetensors) and config.json from the Hugging Face "
            + "Hub into its cache, shared with Python's huggingface_hub, and print the cached paths: the weights, "
            + "then the config when the repository has one.",
            "Files already in the cache are not downloaded again; an interrupted download resumes."})
final class DownloadCommand extends StreamsCommand {
    @Parameters(arity = "1..*", paramLabel = "MODEL",
            description = "arch.tag or a bare architecture (its default tag), e.g. mobilenetv3_large_100.ra_in1k.")
    List<String> models;

    @Mixin
    HubOptions hubOptions;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        TimmHub hub = hubOptions.hub();
        PrintWriter out = io.out();
        ProgressListener listener = new BarListener(io.err(), !quiet && stderrIsTerminal());
        for (String model : models) {
            ResolvedWeights r = hub.resolve(model, hubOptions.revision, listener);
            out.println(r.weights());
            r.configFile().ifPresent(out::println);
        }
        out.flush();
        return 0;
    }

    /** A terminal is attached (System.console(), and on JDK 22+ Console.isTerminal()). */
    static boolean stderrIsTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(c);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Progress bars on stderr (when shown) and notices as "mobilenet: ..." lines on stderr. */
    static final class BarListener implements ProgressListener {
        /** Files smaller than this (config.json) come and go without a bar. */
        private static final long MIN_BAR_BYTES = 1_000_000;
        private final StderrBar bar;

        BarListener(PrintStream err, boolean bars) {
            bar = new StderrBar(err, bars);
        }

        @Override
        public void started(String file, long total, long done) {
            if (total < MIN_BAR_BYTES) {
                return;
            }
            String name = file.substring(file.lastIndexOf('/') + 1);
            bar.open(new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setUnit("MB", 1_000_000)
                    .showSpeed().setUpdateIntervalMillis(200));
            bar.stepTo(done);
        }

        @Override
        public void progress(long done, long total) {
            bar.stepTo(done);
        }

        @Override
        public void finished(String file) {
            bar.close();
        }

        @Override
        public void notice(String line) {
            bar.err.println("mobilenet: " + line);
        }
    }
}
