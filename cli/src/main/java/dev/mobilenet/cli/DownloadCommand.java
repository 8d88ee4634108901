package dev.mobilenet.cli;

import dev.mobilenet.hub.ProgressListener;
import dev.mobilenet.hub.ResolvedWeights;
import dev.mobilenet.hub.TimmHub;
import java.io.Console;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download timm's pretrained weights (model.safetensors) and config.json from the Hugging Face "
            + "Hub into its cache, shared with Python's huggingface_hub, and print the cached paths: the weights, "
            + "then the config when the repository has one.",
            "Files already in the cache are not downloaded again; an interrupted download resumes."})
final class DownloadCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

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
        PrintWriter out = spec.commandLine().getOut();
        ProgressListener listener = new BarListener(main.err(), !quiet && stderrIsTerminal());
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
        private final PrintStream err;
        private final boolean bars;
        private ProgressBar bar;

        BarListener(PrintStream err, boolean bars) {
            this.err = err;
            this.bars = bars;
        }

        @Override
        public void started(String file, long total, long done) {
            if (!bars || total < MIN_BAR_BYTES) {
                return;
            }
            String name = file.substring(file.lastIndexOf('/') + 1);
            bar = new ProgressBarBuilder()
                    .setTaskName(name)
                    .setInitialMax(total)
                    .setUnit("MB", 1_000_000)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .build();
            bar.stepTo(done);
        }

        @Override
        public void progress(long done, long total) {
            if (bar != null) {
                bar.stepTo(done);
            }
        }

        @Override
        public void finished(String file) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }

        @Override
        public void notice(String line) {
            err.println("mobilenet: " + line);
        }
    }
}
