package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.Printable;
import dev.mobilenet.Version;
import dev.mobilenet.kernels.Kernels;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code mobilenet} command. Sub-commands parse options and call the library; errors are one line. */
@Command(name = "mobilenet", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "MobileNet V1/V2/V3 in pure Java, numerically matching timm.",
        subcommands = {ListCommand.class, InfoCommand.class, ForwardCommand.class, ExportCommand.class,
            BenchCommand.class, DownloadCommand.class, PreprocessCommand.class, PredictCommand.class,
            EmbedCommand.class, ServeCommand.class, TrainCommand.class, EvalCommand.class, SynthDataCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces for errors (and, for predict, where the time went).")
    boolean verbose;

    private PrintStream err = System.err;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command (try 'mobilenet --help')");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI with the given streams and returns the exit code (0 ok, 1 error, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Main main = new Main();
        main.err = err;
        CommandLine cl = new CommandLine(main);
        PrintWriter outWriter = new PrintWriter(out, true);
        cl.setOut(outWriter);
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("mobilenet: " + ex.getMessage());
            if (main.verbose) {
                ex.printStackTrace(err);
            }
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("mobilenet: " + describe(ex));
            if (main.verbose) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("mobilenet: " + describe(e));
            if (main.verbose) {
                e.printStackTrace(err);
            }
            code = 1;
        }
        if (outWriter.checkError() | out.checkError()) {
            // PrintStream keeps write errors to itself (a full disk, a closed pipe, > /dev/full): the output is
            // incomplete, so the run failed whatever the command thought.
            err.println("mobilenet: cannot write to standard output (disk full, or the reader went away)");
            code = code == 0 ? 1 : code;
        }
        err.flush();
        return code;
    }

    /** The raw error stream, for progress bars and notices. */
    PrintStream err() {
        return err;
    }

    /** One line that names the problem. */
    static String describe(Throwable ex) {
        if (ex instanceof MobileNetException) {
            return ex.getMessage();
        }
        Throwable io = ex instanceof UncheckedIOException ? ex.getCause() : ex;
        if (io instanceof NoSuchFileException) {
            return "no such file: " + io.getMessage();
        }
        if (io instanceof AccessDeniedException) {
            return "permission denied: " + io.getMessage();
        }
        if (io instanceof IOException) {
            return "I/O error: " + Printable.oneLine(io.getMessage());
        }
        if (ex instanceof OutOfMemoryError) {
            return "out of memory (try a smaller batch or a larger -Xmx)";
        }
        return "internal error: " + ex.getClass().getSimpleName() + ": " + Printable.oneLine(ex.getMessage())
                + " (run with --verbose for details)";
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "mobilenet " + Version.get(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), kernels: "
                        + Kernels.describe()
            };
        }
    }
}
