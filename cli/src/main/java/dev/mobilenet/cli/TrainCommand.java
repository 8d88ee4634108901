package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.data.DataLoader;
import dev.mobilenet.data.ImageFolder;
import dev.mobilenet.data.LoaderOptions;
import dev.mobilenet.data.Mixup;
import dev.mobilenet.data.NpyDataset;
import dev.mobilenet.data.SampleSource;
import dev.mobilenet.data.SampleTransform;
import dev.mobilenet.data.TrainConfig;
import dev.mobilenet.data.TrainTransform;
import dev.mobilenet.hub.ModelConfig;
import dev.mobilenet.hub.ResolvedWeights;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.training.engine.Finetune;
import dev.mobilenet.training.engine.OptimizerConfig;
import dev.mobilenet.training.engine.Schedule;
import dev.mobilenet.training.engine.TrainerConfig;
import dev.mobilenet.training.RunConfig;
import dev.mobilenet.training.TrainingRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train or fine-tune a MobileNet in pure Java, with timm's optimizers, schedules, losses and "
                + "augmentations. Options follow timm's train.py.",
            "--data is an ImageFolder (train/ and val/ inside, or split by --val-fraction) or IMAGES.npy,LABELS.npy "
                + "(float32 NCHW, preprocessed; no augmentation). Writes last/best.safetensors (timm state dicts), "
                + "optimizer.safetensors and state.json (for --resume), labels.txt, metrics.csv and curves.png to "
                + "--output."})
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Architecture or arch.tag.")
    String model;

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

    @Option(names = "--input-size", paramLabel = "N|H,W", converter = InputSize.Converter.class,
            description = "Training and evaluation size (default: the model's).")
    InputSize inputSize;

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

    @Option(names = "--threads", paramLabel = "N", description = "Engine threads (default: the machine's cores).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed of everything random.")
    long seed;

    @Mixin
    HubOptions hubOptions;

    @Override
    public Integer call() {
        int cores = Runtime.getRuntime().availableProcessors();
        int nWorkers = workers != null ? workers : cores;
        int nThreads = threads != null ? threads : cores;
        if (pretrained && weights != null) {
            throw new MobileNetException("give --pretrained or --weights, not both");
        }
        Registry.ModelRef ref = Registry.resolve(model);
        MobileNet net;
        ModelConfig cfg = ref.pretrained().map(ModelConfig::of).orElse(null);
        if (pretrained) {
            if (ref.pretrained().isEmpty()) {
                throw new MobileNetException(ref.spec().arch() + " has no pretrained weights; drop --pretrained");
            }
            ResolvedWeights r = hubOptions.hub().resolve(model, hubOptions.revision,
                    new DownloadCommand.BarListener(main.err(), DownloadCommand.stderrIsTerminal()));
            cfg = r.config();
            net = MobileNet.create(r.spec(), cfg.numClasses(), seed);
            Weights.load(net, r.weights());
        } else if (weights != null) {
            int classes = Weights.classifierClasses(weights).orElse(ref.numClasses());
            net = MobileNet.create(ref.spec(), classes, seed);
            Weights.load(net, weights);
        } else {
            net = null;
        }
        PreprocessConfig pre = cfg == null ? PreprocessConfig.timmDefaults() : cfg.preprocess();
        if (inputSize != null) {
            pre = pre.withInputSize(inputSize.height(), inputSize.width());
        }
        Preprocessor evalPre = new Preprocessor(pre);

        SampleSource trainSource;
        SampleSource valSource = null;
        List<String> classes;
        Path[] npy = DataOptions.npyPair(data);
        if (npy != null) {
            NpyDataset d = NpyDataset.load(npy[0], npy[1], numClasses != null ? numClasses : 0);
            trainSource = d;
            classes = DataOptions.indexNames(d.numClasses());
        } else {
            ImageFolder.Split split = ImageFolder.split(Path.of(data), valData != null ? 0 : valFraction, seed);
            classes = split.train().classes();
            SampleTransform t = noAug ? SampleTransform.eval(evalPre) : new TrainTransform(trainConfig(pre));
            trainSource = SampleSource.images(split.train(), t);
            if (split.val() != null && split.val().size() > 0) {
                valSource = SampleSource.images(split.val(), SampleTransform.eval(evalPre));
            }
        }
        if (valData != null) {
            valSource = DataOptions.forEval(valData, evalPre, classes.size()).source();
        }
        int dataClasses = trainSource.numClasses();
        if (numClasses != null && numClasses != dataClasses) {
            throw new MobileNetException("--num-classes " + numClasses + " but the data has " + dataClasses
                    + " classes");
        }
        if (net == null) {
            net = MobileNet.create(ref.spec(), dataClasses, seed);
        } else if (net.numClasses() != dataClasses) {
            net = Finetune.withNewClassifier(net, dataClasses, seed);
        }
        LoaderOptions lo = LoaderOptions.train(batchSize, nWorkers, seed);
        if (npy != null) {
            lo = lo.withShuffle(shuffle);
        }
        if (!(mixup >= 0) || !(cutmix >= 0) || Double.isInfinite(mixup) || Double.isInfinite(cutmix)) {
            throw new MobileNetException("--mixup and --cutmix must be finite and >= 0, got " + mixup + " and "
                    + cutmix);
        }
        if (mixup > 0 || cutmix > 0) {
            lo = lo.withMixup(new Mixup(mixup, cutmix, 1.0, 0.5, smoothing, dataClasses, true));
        }
        double baseLr = lr != null ? lr : defaultLr();
        OptimizerConfig oc = OptimizerConfig.timm(opt, baseLr, weightDecay).withMomentum(momentum);
        TrainerConfig tc = TrainerConfig.of(oc).withSmoothing(mixup > 0 || cutmix > 0 ? 0 : smoothing)
                .withDrop(drop, dropPath, seed).withThreads(nThreads);
        TrainerConfig.ClipMode clip = TrainerConfig.ClipMode.parse(clipMode);
        if (clipGrad != null) {
            tc = tc.withClip(clip, clipGrad);
        }
        RunConfig run = new RunConfig(epochs, tc, schedule(baseLr), modelEma ? modelEmaDecay : 0, freezeBackbone,
                nThreads, output, resume, overwrite);
        PrintStream err = main.err();
        try (DataLoader train = new DataLoader(trainSource, lo, (i, what, e) ->
                err.println("mobilenet: skipped " + what + ": " + e.getMessage()));
             DataLoader val = valSource == null ? null : DataOptions.evalLoader(valSource, batchSize, nWorkers)) {
            TrainingRun.Summary s = TrainingRun.run(net, classes, train, val, run, new Progress(err,
                    DownloadCommand.stderrIsTerminal()));
            spec.commandLine().getOut().printf(Locale.ROOT, "best epoch %d: %s; checkpoints in %s%n", s.bestEpoch(),
                    val == null ? "lowest train loss" : String.format(Locale.ROOT, "val top-1 %.4f", s.bestTop1()),
                    s.output());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private TrainConfig trainConfig(PreprocessConfig pre) {
        TrainConfig t = TrainConfig.timmDefaults(pre)
                .withColorJitter(autoAugment != null ? 0 : colorJitter);
        if (autoAugment != null) {
            t = t.withAutoAugment(autoAugment);
        }
        if (reprob > 0) {
            t = t.withRandomErasing(reprob, "pixel", 1);
        }
        if (scale != null) {
            if (scale.length != 2) {
                throw new MobileNetException("--scale takes MIN,MAX, got " + scale.length + " values");
            }
            t = t.withScale(scale[0], scale[1]);
        }
        return t;
    }

    /** timm's train.py: lr = lr_base * batch / 256, square-root scaled for adaptive optimizers. */
    private double defaultLr() {
        double ratio = batchSize / 256.0;
        String o = opt.toLowerCase(Locale.ROOT);
        return 0.1 * (o.contains("ada") || o.contains("lamb") ? Math.sqrt(ratio) : ratio);
    }

    private Schedule schedule(double baseLr) {
        switch (sched.toLowerCase(Locale.ROOT)) {
            case "cosine":
                return Schedule.Cosine.of(baseLr, Math.max(1, epochs), minLr, warmupEpochs, warmupLr, false);
            case "step":
                return new Schedule.Step(baseLr, decayEpochs, decayRate, warmupEpochs, warmupLr, false, 0);
            case "none":
                return new Schedule.Step(baseLr, Double.MAX_VALUE, 1.0, warmupEpochs, warmupLr, false, 0);
            default:
                throw new MobileNetException("unknown --sched '" + sched + "' (choose cosine, step or none)");
        }
    }

    /** A progress bar per epoch on a terminal; otherwise one line per epoch. */
    static final class Progress implements TrainingRun.Listener {
        private final PrintStream err;
        private final boolean bars;
        private ProgressBar bar;
        private int epochs;

        Progress(PrintStream err, boolean bars) {
            this.err = err;
            this.bars = bars;
        }

        @Override
        public void started(int firstEpoch, int epochs, int stepsPerEpoch) {
            this.epochs = epochs;
        }

        @Override
        public void step(int epoch, int step, int steps, double loss, double imagesPerSecond) {
            if (!bars) {
                return;
            }
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + epochs).setInitialMax(steps)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).build();
            }
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f, %.1f img/s", loss, imagesPerSecond));
        }

        @Override
        public void epoch(TrainingRun.EpochMetrics m) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            err.printf(Locale.ROOT, "epoch %d/%d: lr %.3g, train loss %.4f%s | val loss %s, top-1 %s, top-5 %s | %.1f "
                            + "img/s, %.0f s%n", m.epoch() + 1, epochs, m.lr(), m.trainLoss(),
                    Double.isNaN(m.trainTop1()) ? "" : String.format(Locale.ROOT, ", top-1 %.4f", m.trainTop1()),
                    f(m.valLoss()), f(m.valTop1()), f(m.valTop5()), m.imagesPerSecond(), m.seconds());
        }

        private static String f(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
        }
    }
}
