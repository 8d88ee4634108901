package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mobilenet spark predict|embed}: the transformers run over a folder, a glob or a Parquet table, with Spark
 * embedded (local mode by default) or under {@code spark-submit}. Prints one summary line on stderr.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, subcommands = {SparkMain.Predict.class,
    SparkMain.Embed.class},
        description = "Classify or embed images with Apache Spark: local mode by default, or any cluster under "
                + "spark-submit (see docs/SCALING.md).")
public final class SparkMain implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Stack traces on errors.")
    boolean verbose;

    private PrintStream err = System.err;

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command and returns its exit code (0 ok, 1 error or failed images, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SparkMain main = new SparkMain();
        main.err = err;
        CommandLine cl = new CommandLine(main);
        cl.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("mobilenet spark: " + describe(ex));
            if (main.verbose) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "give a command: predict or embed");
    }

    /** The user's one line: a MobileNetException's message wherever Spark wrapped it, else the innermost cause. */
    static String describe(Throwable ex) {
        Throwable last = ex;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof MobileNetException) {
                return t.getMessage();
            }
            last = t;
        }
        String m = last.getMessage();
        return m == null ? last.toString() : last.getClass().getSimpleName() + ": " + m.lines().findFirst().orElse("");
    }

    /** Options of both commands. */
    static final class Common {
        @Option(names = "--model", required = true, paramLabel = "NAME", description = "timm arch.tag, e.g. "
                + "mobilenetv3_large_100.ra_in1k.")
        String model;

        @Option(names = "--weights", paramLabel = "FILE", description = "timm state dict: a path on every node, a URI "
                + "on shared storage (hdfs://, s3a://) or the name of a file shipped with --files (default: the Hub).")
        String weights;

        @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one per line (same forms).")
        String labels;

        @Option(names = "--revision", paramLabel = "REV", description = "Hub revision of the weights.")
        String revision;

        @Option(names = "--input", required = true, paramLabel = "PATH", description = "A folder (recursive), a glob "
                + "(photos/*.jpg, photos/**/*.jpg) or a Parquet table with a binary or path column.")
        String input;

        @Option(names = "--column", paramLabel = "NAME", description = "The Parquet table's image column (default: "
                + "content, else path).")
        String column;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder: one row per "
                + "image with path, the result and error.")
        String output;

        @Option(names = "--format", paramLabel = "FMT", defaultValue = "parquet", description = "parquet or json "
                + "(default: parquet).")
        String format;

        @Option(names = "--overwrite", description = "Replace the output folder if it exists.")
        boolean overwrite;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else "
                + "local[*]).")
        String master;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Images per engine call "
                + "(default: 16).")
        int batch;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Engine threads per task, "
                + "and the cores each task takes (spark.task.cpus; default: 1, one task per core; a one-thread task "
                + "decodes between engine calls, a wider one decodes the next batch on as many threads meanwhile).")
        int threads;

        @Option(names = "--partitions", paramLabel = "N", description = "Repartition the input into N partitions "
                + "(default: as Spark lists the files).")
        Integer partitions;

        @Option(names = "--max-pixels", paramLabel = "N", description = "Refuse images with more pixels (default: "
                + "Pillow's bomb limit).")
        Long maxPixels;

        <T extends MobileNetTransformer<T>> T configure(T t) {
            t.setModelName(model).setBatchSize(batch).setThreads(threads);
            if (weights != null) {
                t.setWeights(weights);
            }
            if (labels != null) {
                t.setLabels(labels);
            }
            if (revision != null) {
                t.setRevision(revision);
            }
            if (maxPixels != null) {
                t.setMaxPixels(maxPixels);
            }
            return t;
        }

        int run(SparkMain main, MobileNetTransformer<?> transformer, String resultColumn) {
            String fmt = format.toLowerCase(Locale.ROOT);
            if (!fmt.equals("parquet") && !fmt.equals("json")) {
                throw new MobileNetException("--format must be parquet or json, got " + format);
            }
            if (batch < 1 || threads < 1 || (partitions != null && partitions < 1)) {
                throw new MobileNetException("--batch, --threads and --partitions must be at least 1");
            }
            Phases phases = new Phases();
            phases.mark("JVM start");
            String m = master != null ? master : System.getProperty("spark.master") != null ? null : "local[*]";
            // Inside an application that already has a session (or a test), use it and leave it running.
            boolean shared = SparkSession.getDefaultSession().isDefined();
            String effective = m != null ? m : System.getProperty("spark.master");
            // Starting Spark keeps about one core busy for seconds; in local mode this JVM is also the executor, so
            // the model loads and the engine's JIT warms up on another core meanwhile.
            FutureTask<Void> warm = null;
            int localCores = effective == null ? -1 : localCores(effective);
            if (!shared && localCores > 0) {
                ModelKey key = transformer.modelKey();
                warm = new FutureTask<>(() -> {
                    ExecutorModels.warm(key, threads, batch);
                    return null;
                });
                Thread t = new Thread(warm, "mobilenet-spark-warm-up");
                t.setDaemon(true);
                t.start();
            }
            SparkSession spark = shared ? SparkSession.getDefaultSession().get()
                    : LocalSpark.builder(m, "mobilenet " + resultColumn)
                            // A task of N engine threads takes N cores, so tasks fill the cores without piling up
                            // (in local mode at most the cores there are: Spark refuses more).
                            .config("spark.task.cpus", Integer.toString(localCores > 0
                                    ? Math.min(threads, localCores) : threads)).getOrCreate();
            phases.mark("Spark session");
            try {
                return score(main, spark, transformer, resultColumn, fmt, phases, warm);
            } finally {
                if (!shared) {
                    spark.stop();
                }
                phases.mark("stop");
                if (main.verbose) {
                    main.err.println("mobilenet spark: phases: " + phases);
                }
            }
        }

        private int score(SparkMain main, SparkSession spark, MobileNetTransformer<?> transformer, String resultColumn,
                          String fmt, Phases phases, FutureTask<Void> warm) {
            Dataset<Row> in;
            if (ImageSources.isParquet(input)) {
                in = ImageSources.table(spark, input);
                transformer.setInputCol(ImageSources.imageColumn(in, column));
                if (partitions != null) {
                    in = in.repartition(partitions);
                }
            } else {
                in = ImageSources.imagePaths(spark, input, partitions);
                transformer.setInputCol("path");
            }
            if (warm != null) {
                await(warm);
                phases.mark("model and warm-up (after the session)");
            } else if (spark.sparkContext().isLocal()) {
                // In local mode this JVM is the executor: load the model now, so a bad weights file is one line.
                ExecutorModels.get(transformer.modelKey());
                phases.mark("model");
            }
            Dataset<Row> scored = transformer.transform(in);
            // The counts are gathered while the rows are written, not by reading the output back.
            Observation counts = new Observation("mobilenet");
            Dataset<Row> out = (List.of(in.columns()).contains("path")
                    ? scored.select("path", resultColumn, "error") : scored.select(resultColumn, "error"))
                    .observe(counts, functions.count(functions.lit(1)).as("images"),
                            functions.count(functions.col("error")).as("failed"));
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(output);
            org.apache.hadoop.fs.FileSystem fs = fileSystem(spark, dir);
            if (!overwrite && exists(fs, dir)) {
                throw new MobileNetException("output " + output + " already exists; use --overwrite to replace it");
            }
            double decode0 = ExecutorModels.decodeSeconds();
            double engine0 = ExecutorModels.engineSeconds();
            TaskTimeline timeline = main.verbose ? new TaskTimeline() : null;
            if (timeline != null) {
                spark.sparkContext().addSparkListener(timeline);
            }
            long startMs = System.currentTimeMillis();
            long start = System.nanoTime();
            try {
                out.write().format(fmt).mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).save(output);
            } catch (RuntimeException e) {
                // A failed job leaves a partial folder behind: the output is whole or absent.
                try {
                    fs.delete(dir, true);
                } catch (java.io.IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
                if (timeline != null) {
                    spark.sparkContext().removeSparkListener(timeline);
                }
                throw e;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long endMs = System.currentTimeMillis();
            phases.mark("job");
            jobDone();
            Row observed = observed(counts);
            long images = observed.getLong(0);
            long failed = observed.getLong(1);
            phases.mark("count");
            // In local mode the tasks ran in this JVM: say where their time went.
            String where = spark.sparkContext().isLocal() ? String.format(Locale.ROOT,
                    " (task threads: decode %.1f s, engine %.1f s)", ExecutorModels.decodeSeconds() - decode0,
                    ExecutorModels.engineSeconds() - engine0) : "";
            main.err.printf(Locale.ROOT, "mobilenet spark: %d images, %d failed, %.1f s, %.1f images/s%s -> %s%n",
                    images, failed, seconds, images / seconds, where, output);
            if (timeline != null) {
                int slots = spark.sparkContext().defaultParallelism()
                        / Math.max(1, spark.sparkContext().getConf().getInt("spark.task.cpus", 1));
                try {
                    main.err.println("mobilenet spark: job: " + timeline.describe(startMs, endMs, Math.max(1, slots)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    spark.sparkContext().removeSparkListener(timeline);
                }
            }
            return failed == 0 ? 0 : 1;
        }
    }

    /** The task slots of a local master (local, local[N], local[*], local[N,F]); -1 for any other master. */
    static int localCores(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d{1,6})(?:,\\d+)?])?")
                .matcher(master.strip());
        if (!m.matches()) {
            return -1;
        }
        if (m.group(1) == null) {
            return 1;
        }
        return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                : Math.max(1, Integer.parseInt(m.group(1)));
    }

    /**
     * Leaves the file named by {@code mobilenet.spark.jobMarker}, if set: the launcher keeps the class-data archive it
     * records only from a run that got through a whole job (not a --help or an early error).
     */
    private static void jobDone() {
        String marker = System.getProperty("mobilenet.spark.jobMarker");
        if (marker != null) {
            try {
                java.nio.file.Files.write(java.nio.file.Path.of(marker), new byte[0]);
            } catch (java.io.IOException e) {
                throw new MobileNetException("cannot write " + marker + ": " + e.getMessage(), e);
            }
        }
    }

    /** Waits for the warm-up; its failure (a bad weights file, say) is the command's. */
    private static void await(FutureTask<Void> warm) {
        try {
            warm.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MobileNetException("interrupted while loading the model", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new MobileNetException("loading the model failed: " + e.getCause(), e.getCause());
        }
    }

    /** The counts a finished write observed; Spark reports them as the job ends. */
    private static Row observed(Observation counts) {
        try {
            return scala.concurrent.Await.result(counts.future(),
                    scala.concurrent.duration.Duration.create(5, java.util.concurrent.TimeUnit.MINUTES));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new MobileNetException("the job's row counts did not arrive (the output is written)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MobileNetException("interrupted while waiting for the job's row counts", e);
        }
    }

    private static org.apache.hadoop.fs.FileSystem fileSystem(SparkSession spark, org.apache.hadoop.fs.Path p) {
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (java.io.IOException e) {
            throw new MobileNetException("cannot open the file system of " + p + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(org.apache.hadoop.fs.FileSystem fs, org.apache.hadoop.fs.Path p) {
        try {
            return fs.exists(p);
        } catch (java.io.IOException e) {
            throw new MobileNetException("cannot check " + p + ": " + e.getMessage(), e);
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true, description = "Top-k classes of every image (the "
            + "numbers of mobilenet predict): columns path, prediction (array of index, label, probability), error.")
    static final class Predict implements Callable<Integer> {
        @ParentCommand
        SparkMain main;

        @Mixin
        Common common;

        @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "Classes per image (default: 5).")
        int top;

        @Override
        public Integer call() {
            if (top < 1) {
                throw new MobileNetException("--top must be at least 1, got " + top);
            }
            return common.run(main, common.configure(new MobileNetClassifier()).setTopK(top), "prediction");
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true, description = "Pre-logits of every image (the numbers "
            + "of mobilenet embed): columns path, embedding (array<float>), error.")
    static final class Embed implements Callable<Integer> {
        @ParentCommand
        SparkMain main;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            return common.run(main, common.configure(new MobileNetEmbedder()), "embedding");
        }
    }
}
