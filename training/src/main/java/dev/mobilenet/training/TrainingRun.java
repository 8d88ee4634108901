package dev.mobilenet.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.data.Batch;
import dev.mobilenet.data.DataLoader;
import dev.mobilenet.io.AtomicFiles;
import dev.mobilenet.io.InputFiles;
import dev.mobilenet.io.LabelsFile;
import dev.mobilenet.io.SafeTensors;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.model.Weights;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.training.engine.ModelEma;
import dev.mobilenet.training.engine.Trainer;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A whole training run: epochs of {@link Trainer} steps over a {@link DataLoader}, an evaluation after each epoch,
 * and in the output folder:
 * <ul>
 *   <li>{@code last.safetensors} and {@code best.safetensors}: timm state dicts (strictly loadable by timm);</li>
 *   <li>{@code optimizer.safetensors}, {@code ema.safetensors} and {@code state.json}: what {@code resume} needs;</li>
 *   <li>{@code labels.txt}, {@code metrics.csv} (one row per epoch) and {@code curves.png}.</li>
 * </ul>
 * Every file is written to a temporary name and renamed, so a crash or a full disk never leaves a half-written
 * checkpoint. A loss that is not finite stops the run with the last good checkpoint kept.
 */
public final class TrainingRun {
    /** Progress callbacks; the CLI draws a progress bar from them. */
    public interface Listener {
        default void started(int firstEpoch, int epochs, int stepsPerEpoch) {
        }

        default void step(int epoch, int step, int steps, double loss, double imagesPerSecond) {
        }

        default void epoch(EpochMetrics metrics) {
        }
    }

    /** One row of metrics.csv; train top-1 is NaN when mixup/cutmix make labels soft. */
    public record EpochMetrics(int epoch, double lr, double trainLoss, double trainTop1, double valLoss,
                               double valTop1, double valTop5, double seconds, double imagesPerSecond) {
    }

    /** The outcome: the per-epoch metrics (including resumed ones) and the best epoch. */
    public record Summary(List<EpochMetrics> epochs, int bestEpoch, double bestTop1, Path output) {
    }

    static final String LAST = "last.safetensors";
    static final String BEST = "best.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String EMA = "ema.safetensors";
    static final String STATE = "state.json";
    static final String METRICS = "metrics.csv";
    static final String CURVES = "curves.png";
    static final String LABELS = "labels.txt";

    private TrainingRun() {
    }

    /**
     * Trains {@code model} in place.
     *
     * @param classNames written to labels.txt, in class order
     * @param val        evaluated after each epoch; null to skip evaluation (best then follows the train loss)
     */
    public static Summary run(MobileNet model, List<String> classNames, DataLoader train, DataLoader val,
                              RunConfig cfg, Listener listener) {
        return run(model, classNames, train, val, cfg, listener, Map.of());
    }

    /**
     * As {@link #run(MobileNet, List, DataLoader, DataLoader, RunConfig, Listener)}, with more files (name → bytes,
     * e.g. config.json) committed together with this invocation's first checkpoint.
     */
    public static Summary run(MobileNet model, List<String> classNames, DataLoader train, DataLoader val,
                              RunConfig cfg, Listener listener, Map<String, byte[]> withFirstCheckpoint) {
        Path out = cfg.output();
        checkOutput(out, cfg);
        for (String name : classNames) {
            LabelsFile.checkName(name);
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new MobileNetException("cannot create output folder " + out + ": " + describe(e));
        }
        try (Trainer trainer = new Trainer(model, cfg.train())) {
            trainer.freezeBackbone(cfg.freezeBackbone());
            ModelEma ema = cfg.emaDecay() > 0 ? new ModelEma(model, cfg.emaDecay()) : null;
            List<EpochMetrics> history = new ArrayList<>();
            int start = 0;
            long updates = 0;
            int bestEpoch = -1;
            double best = Double.NEGATIVE_INFINITY;
            if (cfg.resume()) {
                JsonNode state = readState(out);
                checkSet(out, state, ema != null);
                String usedOpt = state.path("opt").asText("");
                if (!usedOpt.isEmpty() && !usedOpt.equals(cfg.optimizer().name())) {
                    throw new MobileNetException("cannot resume " + out + " with --opt " + cfg.optimizer().name()
                            + ": the run was trained with " + usedOpt + " (its optimizer state does not fit)");
                }
                Weights.load(model, out.resolve(LAST));
                try (SafeTensors st = SafeTensors.open(out.resolve(OPTIMIZER))) {
                    Map<String, Tensor> opt = new LinkedHashMap<>();
                    for (String k : st.keys()) {
                        opt.put(k, st.getFloat(k));
                    }
                    trainer.loadOptimizerState(opt);
                }
                if (ema != null) {
                    MobileNet e = ema.model();
                    Weights.load(e, Files.exists(out.resolve(EMA)) ? out.resolve(EMA) : out.resolve(LAST));
                }
                start = state.path("epoch").asInt() + 1;
                updates = state.path("updates").asLong();
                bestEpoch = state.path("best_epoch").asInt(-1);
                best = state.path("best_top1").isNumber() ? state.path("best_top1").asDouble()
                        : Double.NEGATIVE_INFINITY;
                history.addAll(Metrics.read(out.resolve(METRICS)));
                if (start >= cfg.epochs()) {
                    throw new MobileNetException(out + " already finished " + start + " epochs; raise --epochs to "
                            + "continue");
                }
            }
            boolean firstSave = true;
            int steps = train.batchesPerEpoch();
            if (steps < 1) {
                throw new MobileNetException("the training set has fewer images than one batch; lower --batch-size");
            }
            listener.started(start, cfg.epochs(), steps);
            for (int epoch = start; epoch < cfg.epochs(); epoch++) {
                long t0 = System.nanoTime();
                double lossSum = 0;
                long seen = 0;
                long hits = 0;
                boolean soft = false;
                int step = 0;
                try (DataLoader.Epoch batches = train.epoch(epoch)) {
                    while (batches.hasNext()) {
                        Batch b = batches.next();
                        trainer.setLearningRate(cfg.schedule().lr(epoch, step));
                        double loss = b.targets() != null ? trainer.step(b.images(), b.n(), b.h(), b.w(), b.targets())
                                : trainer.step(b.images(), b.n(), b.h(), b.w(), b.labels());
                        if (!Double.isFinite(loss)) {
                            throw new MobileNetException("the loss became " + loss + " at epoch " + epoch + ", step "
                                    + step + "; stopped. " + (history.isEmpty() && !cfg.resume()
                                    ? "No checkpoint was written yet." : "The last good checkpoint is "
                                    + out.resolve(LAST) + ".") + " Try a lower --lr or --clip-grad.");
                        }
                        updates++;
                        if (ema != null) {
                            ema.update(model, updates);
                        }
                        soft |= b.targets() != null;
                        if (b.targets() == null) {
                            hits += correct(trainer.lastLogits(), b.labels(), b.n(), model.numClasses());
                        }
                        lossSum += loss * b.n();
                        seen += b.n();
                        step++;
                        double secs = (System.nanoTime() - t0) / 1e9;
                        listener.step(epoch, step, steps, loss, seen / Math.max(secs, 1e-9));
                    }
                }
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                MobileNet evalModel = ema != null ? ema.model() : model;
                Evaluation ev = null;
                if (val != null) {
                    try (Session s = evalModel.compile().newSession(cfg.evalThreads())) {
                        ev = Evaluation.of(s, val);
                    }
                }
                if (ev != null && !Double.isFinite(ev.loss())) {
                    throw new MobileNetException("the validation loss became " + ev.loss() + " at epoch " + epoch
                            + "; stopped. " + (history.isEmpty() && !cfg.resume() ? "No checkpoint was written yet."
                            : "The last good checkpoint is " + out.resolve(LAST) + ".")
                            + " Try a lower --lr or --clip-grad.");
                }
                double trainLoss = lossSum / Math.max(1, seen);
                EpochMetrics m = new EpochMetrics(epoch, cfg.schedule().lr(epoch, 0), trainLoss,
                        soft ? Double.NaN : (double) hits / Math.max(1, seen), ev == null ? Double.NaN : ev.loss(),
                        ev == null ? Double.NaN : ev.top1(), ev == null ? Double.NaN : ev.top5(),
                        (System.nanoTime() - t0) / 1e9, seen / Math.max(trainSeconds, 1e-9));
                history.add(m);
                double score = ev != null ? ev.top1() : -trainLoss;
                boolean improved = score > best;
                if (improved) {
                    best = score;
                    bestEpoch = epoch;
                }
                saveCheckpoint(out, cfg, epoch, updates, bestEpoch, best, improved ? Weights.writer(evalModel) : null,
                        model, trainer, ema, history, firstSave ? classNames : null,
                        firstSave ? withFirstCheckpoint : Map.of());
                firstSave = false;
                Curves.write(out.resolve(CURVES), history);
                listener.epoch(m);
            }
            return new Summary(history, bestEpoch, best, out);
        }
    }

    private static long correct(float[] logits, int[] labels, int n, int classes) {
        long hits = 0;
        for (int i = 0; i < n; i++) {
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + arg]) {
                    arg = c;
                }
            }
            if (arg == labels[i]) {
                hits++;
            }
        }
        return hits;
    }

    /**
     * One epoch's checkpoint as a unit: every file is written to a temporary name first, and only when all are
     * written (a full disk fails here, leaving the previous checkpoint whole) are they renamed into place, state.json
     * last. state.json records the sha256 of the files {@code --resume} reads, so a set that a crash between two
     * renames left mixed is refused by name instead of resumed from.
     */
    private static void saveCheckpoint(Path out, RunConfig cfg, int epoch, long updates, int bestEpoch, double best,
                                       SafeTensors.Writer bestWeights, MobileNet model, Trainer trainer,
                                       ModelEma ema, List<EpochMetrics> history, List<String> labels,
                                       Map<String, byte[]> extra) {
        Map<String, String> hashes = new java.util.TreeMap<>();
        Map<Path, AtomicFiles.IoWriter> files = new LinkedHashMap<>();
        if (bestWeights != null) {
            files.put(out.resolve(BEST), bestWeights.body());
        }
        files.put(out.resolve(LAST), hashed(Weights.writer(model).body(), hashes, LAST));
        SafeTensors.Writer opt = SafeTensors.writer().metadata("epoch", Integer.toString(epoch));
        trainer.optimizerState().forEach(opt::putFloat);
        files.put(out.resolve(OPTIMIZER), hashed(opt.body(), hashes, OPTIMIZER));
        if (ema != null) {
            files.put(out.resolve(EMA), hashed(Weights.writer(ema.model()).body(), hashes, EMA));
        }
        if (labels != null) {
            StringBuilder sb = new StringBuilder();
            labels.forEach(n -> sb.append(n).append('\n'));
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            files.put(out.resolve(LABELS), o -> o.write(bytes));
        }
        extra.forEach((name, bytes) -> files.put(out.resolve(name), o -> o.write(bytes)));
        byte[] metrics = Metrics.bytes(history);
        files.put(out.resolve(METRICS), hashed(o -> o.write(metrics), hashes, METRICS));
        files.put(out.resolve(STATE), o -> o.write(stateJson(epoch, updates, bestEpoch, best,
                cfg.optimizer().name(), hashes)));
        AtomicFiles.writeAll(files);
        if (ema == null && labels != null) {
            // A replaced run (--overwrite) must not leave an EMA checkpoint that resume would mix in.
            AtomicFiles.deleteTree(out.resolve(EMA));
        }
    }

    private static AtomicFiles.IoWriter hashed(AtomicFiles.IoWriter body, Map<String, String> hashes, String name) {
        return o -> {
            MessageDigest d = sha256();
            DigestOutputStream dos = new DigestOutputStream(o, d);
            body.write(dos);
            dos.flush();
            hashes.put(name, HexFormat.of().formatHex(d.digest()));
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] stateJson(int epoch, long updates, int bestEpoch, double best, String opt,
                                    Map<String, String> hashes) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("epoch", epoch);
        o.put("updates", updates);
        o.put("best_epoch", bestEpoch);
        if (Double.isFinite(best)) {
            o.put("best_top1", best);
        }
        o.put("opt", opt);
        ObjectNode files = o.putObject("sha256");
        hashes.forEach(files::put);
        return (o.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Refuses a checkpoint set whose files are not the ones state.json was written with. */
    private static void checkSet(Path out, JsonNode state, boolean withEma) {
        JsonNode sums = state.path("sha256");
        if (!sums.isObject()) {
            return;
        }
        for (String name : new String[] {LAST, OPTIMIZER, METRICS, EMA}) {
            JsonNode want = sums.path(name);
            if (!want.isTextual()) {
                continue;
            }
            Path f = out.resolve(name);
            if (name.equals(EMA) && !withEma) {
                continue;
            }
            String got;
            try (InputStream in = InputFiles.open(f, Long.MAX_VALUE, "checkpoint file")) {
                MessageDigest d = sha256();
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
                got = HexFormat.of().formatHex(d.digest());
            } catch (IOException e) {
                throw new MobileNetException("cannot resume: cannot read " + f + ": " + describe(e), e);
            }
            if (!got.equals(want.asText())) {
                throw new MobileNetException("cannot resume: " + f + " does not belong to the checkpoint of epoch "
                        + state.path("epoch").asInt() + " in " + out.resolve(STATE) + " (its sha256 differs; the"
                        + " run was stopped while saving). Start again with --overwrite, or restore the files");
            }
        }
    }

    /** A fresh run may only go into a missing or empty folder, or replace one with --overwrite. */
    private static void checkOutput(Path out, RunConfig cfg) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new MobileNetException("cannot use " + out + " as the output folder: it is a file");
        }
        if (cfg.resume() || cfg.overwrite() || !Files.isDirectory(out)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.list(out)) {
            if (s.findAny().isPresent()) {
                throw new MobileNetException(out + " is not empty (an earlier run?); give --resume to continue it or"
                        + " --overwrite to replace it");
            }
        } catch (IOException e) {
            throw new MobileNetException("cannot read output folder " + out + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    private static JsonNode readState(Path out) {
        Path file = out.resolve(STATE);
        for (String f : new String[] {STATE, LAST, OPTIMIZER}) {
            if (!Files.isRegularFile(out.resolve(f))) {
                throw new MobileNetException("cannot resume: " + out.resolve(f) + " is missing");
            }
        }
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            if (n == null || !n.path("epoch").canConvertToInt() || n.path("epoch").asInt() < 0) {
                throw new MobileNetException("cannot resume: " + file + " has no valid epoch");
            }
            return n;
        } catch (IOException e) {
            throw new MobileNetException("cannot resume: " + file + " is not valid JSON (" + e.getMessage() + ")");
        }
    }

    /** Formats a metric for tables: 4 decimals, or "-" for NaN. */
    static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
