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

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Held out per class when the folder has no val/ (default: 0.1).")
    double valFraction;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where checkpoints and metrics go.")
    Path output;

    @Option(names = "--resume", description = "Continue the run in --output from its last epoch.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace the run in a non-empty --output (refused without it).")
    boolean overwrite;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "Epochs (default: 10).")
    int epochs;

    @Option(names = {"--batch-size", "-b"}, defaultValue = "32", paramLabel = "N", description = "Batch (default: 32).")
    int batchSize;

    @Option(names = "--opt", defaultValue = "sgd", paramLabel = "NAME",
            description = "sgd (Nesterov), momentum, rmsproptf, adamw or lamb (default: sgd).")
    String opt;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Learning rate (default: timm's lr-base 0.1 at batch 256, scaled linearly, or by the square "
                    + "root for adamw and lamb).")
    Double lr;

    @Option(names = "--weight-decay", defaultValue = "2e-5", paramLabel = "WD", description = "Default: 2e-5.")
    double weightDecay;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M", description = "Default: 0.9.")
    double momentum;

    @Option(names = "--sched", defaultValue = "cosine", paramLabel = "NAME", description = "cosine, step or none.")
    String sched;

    @Option(names = "--warmup-epochs", defaultValue = "0", paramLabel = "N", description = "Default: 0.")
    int warmupEpochs;

    @Option(names = "--warmup-lr", defaultValue = "1e-5", paramLabel = "LR", description = "Default: 1e-5.")
    double warmupLr;

    @Option(names = "--min-lr", defaultValue = "0", paramLabel = "LR", description = "Cosine floor (default: 0).")
    double minLr;

    @Option(names = "--decay-epochs", defaultValue = "90", paramLabel = "N", description = "Step schedule period.")
    double decayEpochs;

    @Option(names = "--decay-rate", defaultValue = "0.1", paramLabel = "F", description = "Step schedule factor.")
    double decayRate;

    @Option(names = "--smoothing", defaultValue = "0.1", paramLabel = "F", description = "Label smoothing (0.1).")
    double smoothing;

    @Option(names = "--drop", defaultValue = "0", paramLabel = "F", description = "Dropout before the classifier.")
    double drop;

    @Option(names = "--drop-path", defaultValue = "0", paramLabel = "F", description = "Stochastic depth rate.")
    double dropPath;

    @Option(names = "--model-ema", description = "Keep an EMA of the weights; evaluate and keep best from it.")
    boolean modelEma;

    @Option(names = "--model-ema-decay", defaultValue = "0.9998", paramLabel = "F", description = "Default: 0.9998.")
    double modelEmaDecay;

    @Option(names = "--clip-grad", paramLabel = "F", description = "Clip gradients at this norm (or value).")
    Double clipGrad;

    @Option(names = "--clip-mode", defaultValue = "norm", paramLabel = "MODE", description = "norm or value.")
    String clipMode;

    @Option(names = "--freeze-backbone", description = "Train only the classifier.")
    boolean freezeBackbone;

    @Mixin
    PreprocessOptions preprocess;

    @Option(names = "--aa", paramLabel = "POLICY", description = "Auto-augment, e.g. rand-m9-mstd0.5.")
    String autoAugment;

    @Option(names = "--scale", paramLabel = "MIN,MAX", split = ",", description = "Random-resized-crop area range "
            + "(default: 0.08,1).")
    double[] scale;

    @Option(names = "--color-jitter", defaultValue = "0.4", paramLabel = "F", description = "Default: 0.4.")
    double colorJitter;

    @Option(names = "--reprob", defaultValue = "0", paramLabel = "F", description = "Random erasing probability.")
    double reprob;

    @Option(names = "--mixup", defaultValue = "0", paramLabel = "ALPHA", description = "Mixup alpha (0: off).")
    double mixup;

    @Option(names = "--cutmix", defaultValue = "0", paramLabel = "ALPHA", description = "CutMix alpha (0: off).")
    double cutmix;

    @Option(names = "--no-aug", description = "Train on the eval transform (no augmentation).")
    boolean noAug;

    @Option(names = "--shuffle", description = "Shuffle .npy training data (folders are always shuffled).")
    boolean shuffle;

    @Option(names = "--workers", paramLabel = "N", description = "Decoding threads (default: the machine's cores).")
    Integer workers;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of everything random.")
    long seed;

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
                .withSeed(seed);
        if (valData != null) {
            setup = setup.withValData(DataSpec.parse(valData));
        }
        if (resume) {
            setup = setup.withResume();
        }
        if (overwrite) {
            setup = setup.withOverwrite();
        }
        if (numClasses != null) {
            setup = setup.withNumClasses(numClasses);
        }
        if (lr != null) {
            setup = setup.withLr(lr);
        }
        if (modelEma) {
            setup = setup.withModelEma(modelEmaDecay);
        }
        TrainerConfig.ClipMode clip = TrainerConfig.ClipMode.parse(clipMode);
        if (clipGrad != null) {
            setup = setup.withClipGrad(clipGrad, clip);
        }
        if (freezeBackbone) {
            setup = setup.withFreezeBackbone();
        }
        if (autoAugment != null) {
            setup = setup.withAutoAugment(autoAugment);
        }
        if (scale != null) {
            if (scale.length != 2) {
                throw new MobileNetException("--scale takes MIN,MAX, got " + scale.length + " values");
            }
            setup = setup.withScale(scale[0], scale[1]);
        }
        if (noAug) {
            setup = setup.withNoAug();
        }
        if (shuffle) {
            setup = setup.withShuffle();
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
