package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.training.DataSpec;
import dev.mobilenet.training.TrainingRun;
import dev.mobilenet.training.TrainingSetup;
import dev.mobilenet.training.engine.TrainerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train or fine-tune a MobileNet in pure Java, with timm's optimizers, schedules, losses and "
                + "augmentations. Options follow timm's train.py.",
            "--data is an ImageFolder (train/ and val/ inside, or split by --val-fraction) or IMAGES.npy,LABELS.npy "
                + "(float32 NCHW, preprocessed; no augmentation). Writes last/best.safetensors (timm state dicts), "
                + "optimizer.safetensors and state.json (for --resume), labels.txt, metrics.csv and curves.png to "
                + "--output."})
final class TrainCommand extends StreamsCommand {
    @Mixin
    ModelName model;

    @Option(names = "--pretrained", description = "Start from the tag's pretrained weights (Hugging Face Hub).")
    boolean pretrained;

    @Option(names = "--weights", paramLabel = "FILE", description = "Start from a timm state dict (.safetensors).")
    Path weights;

    @Option(names = "--num-classes", paramLabel = "N",
            description = "Classes (default: the data's); a different pretrained head is replaced by a fresh one.")
    Integer numClasses;

    @Option(names = "--data", required = true, paramLabel = "DIR|X.npy,Y.npy", description = "Training data.")
    String data;

    @Option(names = "--val-data", paramLabel = "DIR|X.npy,Y.npy", description = "Validation data (default: from --data).")
    String valData;

    /** TrainingSetup's defaults are the options' defaults (picocli shows a field's initial value as its default). */
    @Option(names = "--val-fraction", paramLabel = "F",
            description = "Held out per class when the folder has no val/ (default: ${DEFAULT-VALUE}).")
    double valFraction = TrainingSetup.DEFAULT_VAL_FRACTION;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where checkpoints and metrics go.")
    Path output;

    @Option(names = "--resume", description = "Continue the run in --output from its last epoch.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace the run in a non-empty --output (refused without it).")
    boolean overwrite;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = TrainingSetup.DEFAULT_EPOCHS;

    @Option(names = {"--batch-size", "-b"}, paramLabel = "N", description = "Batch (default: ${DEFAULT-VALUE}).")
    int batchSize = TrainingSetup.DEFAULT_BATCH_SIZE;

    @Option(names = "--opt", paramLabel = "NAME",
            description = "sgd (Nesterov), momentum, rmsproptf, adamw or lamb (default: ${DEFAULT-VALUE}).")
    String opt = TrainingSetup.DEFAULT_OPT;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Learning rate (default: timm's lr-base " + TrainingSetup.LR_BASE + " at batch "
                    + TrainingSetup.LR_BASE_SIZE + ", scaled linearly, or by the square root for adamw and lamb).")
    Double lr;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "Default: ${DEFAULT-VALUE}.")
    double weightDecay = TrainingSetup.DEFAULT_WEIGHT_DECAY;

    @Option(names = "--momentum", paramLabel = "M", description = "Default: ${DEFAULT-VALUE}.")
    double momentum = TrainingSetup.DEFAULT_MOMENTUM;

    @Option(names = "--sched", paramLabel = "NAME", description = "cosine, step or none.")
    String sched = TrainingSetup.DEFAULT_SCHED;

    @Option(names = "--warmup-epochs", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int warmupEpochs = TrainingSetup.DEFAULT_WARMUP_EPOCHS;

    @Option(names = "--warmup-lr", paramLabel = "LR", description = "Default: ${DEFAULT-VALUE}.")
    double warmupLr = TrainingSetup.DEFAULT_WARMUP_LR;

    @Option(names = "--min-lr", paramLabel = "LR", description = "Cosine floor (default: ${DEFAULT-VALUE}).")
    double minLr = TrainingSetup.DEFAULT_MIN_LR;

    @Option(names = "--decay-epochs", paramLabel = "N", description = "Step schedule period.")
    double decayEpochs = TrainingSetup.DEFAULT_DECAY_EPOCHS;

    @Option(names = "--decay-rate", paramLabel = "F", description = "Step schedule factor.")
    double decayRate = TrainingSetup.DEFAULT_DECAY_RATE;

    @Option(names = "--smoothing", paramLabel = "F", description = "Label smoothing (${DEFAULT-VALUE}).")
    double smoothing = TrainingSetup.DEFAULT_SMOOTHING;

    @Option(names = "--drop", paramLabel = "F", description = "Dropout before the classifier.")
    double drop;

    @Option(names = "--drop-path", paramLabel = "F", description = "Stochastic depth rate.")
    double dropPath;

    @Option(names = "--model-ema", description = "Keep an EMA of the weights; evaluate and keep best from it.")
    boolean modelEma;

    @Option(names = "--model-ema-decay", paramLabel = "F", description = "Default: ${DEFAULT-VALUE}.")
    double modelEmaDecay = TrainingSetup.DEFAULT_MODEL_EMA_DECAY;

    @Option(names = "--clip-grad", paramLabel = "F", description = "Clip gradients at this norm (or value).")
    Double clipGrad;

    @Option(names = "--clip-mode", paramLabel = "MODE", description = "norm or value.")
    String clipMode = TrainingSetup.DEFAULT_CLIP_MODE.name().toLowerCase(Locale.ROOT);

    @Option(names = "--freeze-backbone", description = "Train only the classifier.")
    boolean freezeBackbone;

    @Mixin
    PreprocessOptions preprocess;

    @Option(names = "--aa", paramLabel = "POLICY", description = "Auto-augment, e.g. rand-m9-mstd0.5.")
    String autoAugment;

    @Option(names = "--scale", paramLabel = "MIN,MAX", split = ",", description = "Random-resized-crop area range "
            + "(default: " + TrainingSetup.DEFAULT_SCALE_MIN + "," + TrainingSetup.DEFAULT_SCALE_MAX + ").")
    double[] scale;

    @Option(names = "--color-jitter", paramLabel = "F", description = "Default: ${DEFAULT-VALUE}.")
    double colorJitter = TrainingSetup.DEFAULT_COLOR_JITTER;

    @Option(names = "--reprob", paramLabel = "F", description = "Random erasing probability.")
    double reprob;

    @Option(names = "--mixup", paramLabel = "ALPHA", description = "Mixup alpha (0: off).")
    double mixup;

    @Option(names = "--cutmix", paramLabel = "ALPHA", description = "CutMix alpha (0: off).")
    double cutmix;

    @Option(names = "--no-aug", description = "Train on the eval transform (no augmentation).")
    boolean noAug;

    @Option(names = "--shuffle", description = "Shuffle .npy training data (folders are always shuffled).")
    boolean shuffle;

    @Option(names = "--workers", paramLabel = "N", description = "Decoding threads (default: the machine's cores).")
    Integer workers;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of everything random.")
    long seed = TrainingSetup.DEFAULT_SEED;

    @Mixin
    HubOptions hubOptions;

    @Override
    public Integer call() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (pretrained && weights != null) {
            throw new MobileNetException("give --pretrained or --weights, not both");
        }
        ModelRequest req = hubOptions.request(model.get());
        req = pretrained ? req : weights != null ? req.withWeights(weights) : req.withRandomInit(seed);
        TrainingSetup setup = TrainingSetup.of(req, DataSpec.parse(data), output)
                .withPreprocess(preprocess.overrides()).withValFraction(valFraction).withEpochs(epochs)
                .withBatchSize(batchSize).withOpt(opt).withWeightDecay(weightDecay).withMomentum(momentum)
                .withSched(sched).withWarmup(warmupEpochs, warmupLr).withMinLr(minLr)
                .withDecay(decayEpochs, decayRate).withSmoothing(smoothing).withDrop(drop).withDropPath(dropPath)
                .withColorJitter(colorJitter).withReprob(reprob).withMixup(mixup, cutmix)
                .withWorkers(workers != null ? workers : cores).withThreads(threads.orCores())
                .withSeed(seed).withResume(resume).withOverwrite(overwrite).withFreezeBackbone(freezeBackbone)
                .withNoAug(noAug).withShuffle(shuffle).withValData(valData == null ? null : DataSpec.parse(valData))
                .withNumClasses(numClasses).withLr(lr);
        if (modelEma) {
            setup = setup.withModelEma(modelEmaDecay);
        }
        setup = setup.withClipGrad(clipGrad, TrainerConfig.ClipMode.parse(clipMode)).withAutoAugment(autoAugment);
        if (scale != null) {
            if (scale.length != 2) {
                throw new MobileNetException("--scale takes MIN,MAX, got " + scale.length + " values");
            }
            setup = setup.withScale(scale[0], scale[1]);
        }
        PrintStream err = io.err();
        TrainingRun.Summary s = setup.run(new Progress(err, DownloadCommand.stderrIsTerminal()),
                new DownloadCommand.BarListener(err, DownloadCommand.stderrIsTerminal()),
                (i, what, e) -> err.println("mobilenet: skipped " + what + ": " + e.getMessage()));
        io.out().printf(Locale.ROOT, "best epoch %d: %s; checkpoints in %s%n", s.bestEpoch(),
                Double.isNaN(s.epochs().get(s.epochs().size() - 1).valTop1()) ? "lowest train loss"
                        : String.format(Locale.ROOT, "val top-1 %.4f", s.bestTop1()), s.output());
        io.out().flush();
        return 0;
    }

    /** A progress bar per epoch on a terminal; otherwise one line per epoch. */
    static final class Progress implements TrainingRun.Listener {
        private final StderrBar bar;
        private int epochs;

        Progress(PrintStream err, boolean bars) {
            bar = new StderrBar(err, bars);
        }

        @Override
        public void started(int firstEpoch, int epochs, int stepsPerEpoch) {
            this.epochs = epochs;
        }

        @Override
        public void step(int epoch, int step, int steps, double loss, double imagesPerSecond) {
            if (bar.canOpen()) {
                bar.open(new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + epochs)
                        .setInitialMax(steps).setUpdateIntervalMillis(250));
            }
            if (bar.isOpen()) {
                bar.stepTo(step);
                bar.message(String.format(Locale.ROOT, "loss %.4f, %.1f img/s", loss, imagesPerSecond));
            }
        }

        @Override
        public void epoch(TrainingRun.EpochMetrics m) {
            bar.close();
            bar.err.printf(Locale.ROOT, "epoch %d/%d: lr %.3g, train loss %.4f%s | val loss %s, top-1 %s, top-5 %s "
                            + "| %.1f img/s, %.0f s%n", m.epoch() + 1, epochs, m.lr(), m.trainLoss(),
                    Double.isNaN(m.trainTop1()) ? "" : String.format(Locale.ROOT, ", top-1 %.4f", m.trainTop1()),
                    f(m.valLoss()), f(m.valTop1()), f(m.valTop5()), m.imagesPerSecond(), m.seconds());
        }

        private static String f(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
        }
    }
}
