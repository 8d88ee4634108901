package dev.mobilenet.training;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.classify.PreprocessOverrides;
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
import dev.mobilenet.hub.ProgressListener;
import dev.mobilenet.hub.TimmConfig;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.training.engine.Finetune;
import dev.mobilenet.training.engine.OptimizerConfig;
import dev.mobilenet.training.engine.Schedule;
import dev.mobilenet.training.engine.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A training run set up as timm's train.py sets one up, from its arguments: the model (pretrained, a weights file,
 * or timm's initialisation), the data and its augmentation, the optimizer with timm's learning-rate scaling, the
 * schedule, and the run around them. What {@code mobilenet train} runs, in a few calls:
 * <pre>
 * TrainingRun.Summary s = TrainingSetup.of(ModelRequest.of("mobilenetv3_small_050"), DataSpec.parse("shapes"),
 *         Path.of("runs/shapes"))
 *     .withEpochs(30).withOpt("adamw").withLr(4e-3).withWeightDecay(0.05).withWarmup(2, 1e-5)
 *     .withPreprocess(PreprocessOverrides.NONE.withInputSize(96, 96)).withScale(0.25, 1)
 *     .run();
 * </pre>
 * Defaults are train.py's. The run's folder receives, besides what {@link TrainingRun} writes, a {@code config.json}
 * in the Hub's format (architecture, classes, label names, preprocessing), so the checkpoints load with
 * {@code --weights run/best.safetensors} (and in timm with {@code pretrained_cfg_overlay}) and preprocess as the run
 * evaluated. Immutable: each {@code with...} returns a changed copy.
 */
public final class TrainingSetup implements Cloneable {
    /** The name of the model config written beside the checkpoints. */
    public static final String CONFIG = "config.json";

    /*
     * train.py's defaults: what a run uses where no with... was called (a command line takes its option defaults
     * from here). Rates, drops, mixup and random erasing are off (0) unless set.
     */
    /** Held out per class when the folder has no val/. */
    public static final double DEFAULT_VAL_FRACTION = 0.1;
    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final String DEFAULT_OPT = "sgd";
    /** timm's lr-base: the learning rate at {@link #LR_BASE_SIZE} images per batch, scaled by {@link #lr()}. */
    public static final double LR_BASE = 0.1;
    public static final int LR_BASE_SIZE = 256;
    public static final double DEFAULT_WEIGHT_DECAY = 2e-5;
    public static final double DEFAULT_MOMENTUM = 0.9;
    public static final String DEFAULT_SCHED = "cosine";
    public static final int DEFAULT_WARMUP_EPOCHS = 0;
    public static final double DEFAULT_WARMUP_LR = 1e-5;
    /** The cosine schedule's floor. */
    public static final double DEFAULT_MIN_LR = 0;
    /** The step schedule's period and factor. */
    public static final double DEFAULT_DECAY_EPOCHS = 90;
    public static final double DEFAULT_DECAY_RATE = 0.1;
    public static final double DEFAULT_SMOOTHING = 0.1;
    /** timm's EMA decay, for {@link #withModelEma} (the EMA itself is off unless set). */
    public static final double DEFAULT_MODEL_EMA_DECAY = 0.9998;
    /** How {@link #withClipGrad} clips (clipping itself is off unless set). */
    public static final TrainerConfig.ClipMode DEFAULT_CLIP_MODE = TrainerConfig.ClipMode.NORM;
    /** The random-resized-crop area range. */
    public static final double DEFAULT_SCALE_MIN = 0.08;
    public static final double DEFAULT_SCALE_MAX = 1.0;
    public static final double DEFAULT_COLOR_JITTER = 0.4;
    public static final long DEFAULT_SEED = 42;

    private ModelRequest model;
    private DataSpec data;
    private Path output;
    private DataSpec valData;
    private double valFraction = DEFAULT_VAL_FRACTION;
    private boolean resume;
    private Integer numClasses;
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private String opt = DEFAULT_OPT;
    private Double lr;
    private double weightDecay = DEFAULT_WEIGHT_DECAY;
    private double momentum = DEFAULT_MOMENTUM;
    private String sched = DEFAULT_SCHED;
    private int warmupEpochs = DEFAULT_WARMUP_EPOCHS;
    private double warmupLr = DEFAULT_WARMUP_LR;
    private double minLr = DEFAULT_MIN_LR;
    private double decayEpochs = DEFAULT_DECAY_EPOCHS;
    private double decayRate = DEFAULT_DECAY_RATE;
    private double smoothing = DEFAULT_SMOOTHING;
    private double drop;
    private double dropPath;
    private double emaDecay;
    private Double clipGrad;
    private TrainerConfig.ClipMode clipMode = DEFAULT_CLIP_MODE;
    private boolean freezeBackbone;
    private String autoAugment;
    private double scaleMin = DEFAULT_SCALE_MIN;
    private double scaleMax = DEFAULT_SCALE_MAX;
    private double colorJitter = DEFAULT_COLOR_JITTER;
    private double reprob;
    private double mixup;
    private double cutmix;
    private boolean overwrite;
    private boolean noAug;
    private boolean shuffle;
    private int workers = Runtime.getRuntime().availableProcessors();
    private int threads = Runtime.getRuntime().availableProcessors();
    private long seed = DEFAULT_SEED;

    private TrainingSetup() {
    }

    /**
     * A run of {@code model} on {@code data} into {@code output}. The request's source decides the start: the Hub's
     * pretrained weights ({@link ModelRequest#of}), a weights file, or timm's initialisation
     * ({@link ModelRequest#withRandomInit}, whose seed is replaced by {@link #withSeed}'s). A classifier of another
     * size than the data's classes is replaced by a fresh one (timm's reset_classifier).
     */
    public static TrainingSetup of(ModelRequest model, DataSpec data, Path output) {
        TrainingSetup s = new TrainingSetup();
        s.model = Objects.requireNonNull(model, "model");
        s.data = Objects.requireNonNull(data, "data");
        s.output = Objects.requireNonNull(output, "output");
        return s;
    }

    private TrainingSetup with(Consumer<TrainingSetup> change) {
        TrainingSetup copy;
        try {
            copy = (TrainingSetup) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        change.accept(copy);
        return copy;
    }

    /** Preprocessing overrides (also the train transform's size, mean and std). */
    public TrainingSetup withPreprocess(PreprocessOverrides overrides) {
        return with(s -> s.model = s.model.withPreprocess(overrides));
    }

    /** Validation data instead of the folder's val/ or a held-out split (null: those). */
    public TrainingSetup withValData(DataSpec val) {
        return with(s -> s.valData = val);
    }

    /** Held out per class when the folder has no val/ (default {@link #DEFAULT_VAL_FRACTION}). */
    public TrainingSetup withValFraction(double f) {
        return with(s -> s.valFraction = f);
    }

    /** Continue the run in the output folder from its last epoch. */
    public TrainingSetup withResume(boolean resume) {
        return with(s -> s.resume = resume);
    }

    /** Replace the run in a non-empty output folder (refused without this or resume). */
    public TrainingSetup withOverwrite(boolean overwrite) {
        return with(s -> s.overwrite = overwrite);
    }

    /** The classes the data must have (null, the default: the data's). */
    public TrainingSetup withNumClasses(Integer n) {
        return with(s -> s.numClasses = n);
    }

    public TrainingSetup withEpochs(int n) {
        return with(s -> s.epochs = n);
    }

    public TrainingSetup withBatchSize(int n) {
        return with(s -> s.batchSize = n);
    }

    /** sgd (Nesterov), momentum, rmsproptf, adamw or lamb (default {@link #DEFAULT_OPT}). */
    public TrainingSetup withOpt(String name) {
        return with(s -> s.opt = Objects.requireNonNull(name, "opt"));
    }

    /** The learning rate (null, the default: {@link #lr()}'s scaling of timm's lr-base). */
    public TrainingSetup withLr(Double value) {
        return with(s -> s.lr = value);
    }

    public TrainingSetup withWeightDecay(double wd) {
        return with(s -> s.weightDecay = wd);
    }

    public TrainingSetup withMomentum(double m) {
        return with(s -> s.momentum = m);
    }

    /** cosine ({@link #DEFAULT_SCHED}), step or none. */
    public TrainingSetup withSched(String name) {
        return with(s -> s.sched = Objects.requireNonNull(name, "sched"));
    }

    /**
     * Linear warm-up from {@code lr} over the first {@code epochs} epochs (default {@link #DEFAULT_WARMUP_EPOCHS}, from
     * {@link #DEFAULT_WARMUP_LR}).
     */
    public TrainingSetup withWarmup(int epochs, double lr) {
        return with(s -> {
            s.warmupEpochs = epochs;
            s.warmupLr = lr;
        });
    }

    /** The cosine schedule's floor (default {@link #DEFAULT_MIN_LR}). */
    public TrainingSetup withMinLr(double lr) {
        return with(s -> s.minLr = lr);
    }

    /**
     * The step schedule: multiply by {@code rate} every {@code epochs} epochs (default
     * {@link #DEFAULT_DECAY_EPOCHS} and {@link #DEFAULT_DECAY_RATE}).
     */
    public TrainingSetup withDecay(double epochs, double rate) {
        return with(s -> {
            s.decayEpochs = epochs;
            s.decayRate = rate;
        });
    }

    /** Label smoothing (default {@link #DEFAULT_SMOOTHING}; off under mixup/cutmix, whose targets carry it). */
    public TrainingSetup withSmoothing(double f) {
        return with(s -> s.smoothing = f);
    }

    /** Dropout before the classifier. */
    public TrainingSetup withDrop(double rate) {
        return with(s -> s.drop = rate);
    }

    /** Stochastic depth. */
    public TrainingSetup withDropPath(double rate) {
        return with(s -> s.dropPath = rate);
    }

    /**
     * Keep an EMA of the weights with this decay (timm's {@link #DEFAULT_MODEL_EMA_DECAY}); evaluation and best use
     * it.
     */
    public TrainingSetup withModelEma(double decay) {
        return with(s -> s.emaDecay = decay);
    }

    /** Clip gradients at this norm or value (a null threshold, the default: no clipping). */
    public TrainingSetup withClipGrad(Double threshold, TrainerConfig.ClipMode mode) {
        return with(s -> {
            s.clipGrad = threshold;
            s.clipMode = Objects.requireNonNull(mode, "mode");
        });
    }

    /** Train only the classifier. */
    public TrainingSetup withFreezeBackbone(boolean freezeBackbone) {
        return with(s -> s.freezeBackbone = freezeBackbone);
    }

    /** RandAugment, e.g. {@code rand-m9-mstd0.5} (colour jitter is then off, as in timm); null, the default: none. */
    public TrainingSetup withAutoAugment(String config) {
        return with(s -> s.autoAugment = config);
    }

    /** The random-resized-crop area range (default {@link #DEFAULT_SCALE_MIN}..{@link #DEFAULT_SCALE_MAX}). */
    public TrainingSetup withScale(double min, double max) {
        return with(s -> {
            s.scaleMin = min;
            s.scaleMax = max;
        });
    }

    public TrainingSetup withColorJitter(double strength) {
        return with(s -> s.colorJitter = strength);
    }

    /** Random erasing probability (pixel mode, one box). */
    public TrainingSetup withReprob(double p) {
        return with(s -> s.reprob = p);
    }

    /** Mixup and CutMix alphas (0 turns each off). */
    public TrainingSetup withMixup(double mixupAlpha, double cutmixAlpha) {
        if (!(mixupAlpha >= 0) || !(cutmixAlpha >= 0) || Double.isInfinite(mixupAlpha)
                || Double.isInfinite(cutmixAlpha)) {
            throw new MobileNetException("--mixup and --cutmix must be finite and >= 0, got " + mixupAlpha + " and "
                    + cutmixAlpha);
        }
        return with(s -> {
            s.mixup = mixupAlpha;
            s.cutmix = cutmixAlpha;
        });
    }

    /** Train on the eval transform. */
    public TrainingSetup withNoAug(boolean noAug) {
        return with(s -> s.noAug = noAug);
    }

    /** Shuffle .npy training data (folders always are). */
    public TrainingSetup withShuffle(boolean shuffle) {
        return with(s -> s.shuffle = shuffle);
    }

    /** Decoding threads of the loaders (default: the machine's cores). */
    public TrainingSetup withWorkers(int n) {
        return with(s -> s.workers = n);
    }

    /** Engine threads, training and evaluation (default: the machine's cores). */
    public TrainingSetup withThreads(int n) {
        return with(s -> s.threads = n);
    }

    /**
     * The seed of everything random: initialisation, split, order, augmentation, dropout (default
     * {@link #DEFAULT_SEED}).
     */
    public TrainingSetup withSeed(long s0) {
        return with(s -> s.seed = s0);
    }

    /**
     * timm's train.py: the given learning rate, else lr-base 0.1 at batch 256 scaled linearly (by the square root for
     * adaptive optimizers: ada*, lamb).
     */
    public double lr() {
        if (lr != null) {
            return lr;
        }
        double ratio = batchSize / (double) LR_BASE_SIZE;
        String o = opt.toLowerCase(Locale.ROOT);
        return LR_BASE * (o.contains("ada") || o.contains("lamb") ? Math.sqrt(ratio) : ratio);
    }

    /** timm's scheduler factory for {@code sched}, per epoch. */
    public Schedule schedule() {
        double base = lr();
        switch (sched.toLowerCase(Locale.ROOT)) {
            case "cosine":
                return Schedule.Cosine.of(base, Math.max(1, epochs), minLr, warmupEpochs, warmupLr, false);
            case "step":
                return new Schedule.Step(base, decayEpochs, decayRate, warmupEpochs, warmupLr, false, 0);
            case "none":
                return new Schedule.Step(base, Double.MAX_VALUE, 1.0, warmupEpochs, warmupLr, false, 0);
            default:
                throw new MobileNetException("unknown --sched '" + sched + "' (choose cosine, step or none)");
        }
    }

    /** The optimizer and the trainer's losses, regularisation and threads. */
    public TrainerConfig trainerConfig() {
        OptimizerConfig oc = OptimizerConfig.timm(opt, lr(), weightDecay).withMomentum(momentum);
        TrainerConfig tc = TrainerConfig.of(oc).withSmoothing(mixup > 0 || cutmix > 0 ? 0 : smoothing)
                .withDrop(drop, dropPath, seed).withThreads(threads);
        return clipGrad == null ? tc : tc.withClip(clipMode, clipGrad);
    }

    /** The run: epochs, trainer, schedule, EMA, output. */
    public RunConfig runConfig() {
        return new RunConfig(epochs, trainerConfig(), schedule(), emaDecay, freezeBackbone, threads, output, resume,
                overwrite);
    }

    /** timm's train transform for a model's eval transform, with this setup's augmentation. */
    public TrainConfig trainTransform(PreprocessConfig model) {
        TrainConfig t = TrainConfig.timmDefaults(model).withColorJitter(autoAugment != null ? 0 : colorJitter)
                .withScale(scaleMin, scaleMax);
        if (autoAugment != null) {
            t = t.withAutoAugment(autoAugment);
        }
        if (reprob > 0) {
            t = t.withRandomErasing(reprob, "pixel", 1);
        }
        return t;
    }

    /** {@link #run(TrainingRun.Listener, ProgressListener, DataLoader.BadSampleListener)} without progress reports. */
    public TrainingRun.Summary run() {
        return run(new TrainingRun.Listener() { }, ProgressListener.NONE, (i, what, e) -> { });
    }

    /**
     * Loads the model and the data, writes config.json and trains.
     *
     * @param progress   epochs and steps
     * @param downloads  the pretrained weights' download, if any
     * @param badSamples each training sample that cannot be loaded (it is replaced)
     */
    public TrainingRun.Summary run(TrainingRun.Listener progress, ProgressListener downloads,
                                   DataLoader.BadSampleListener badSamples) {
        ModelRequest request = model.source() == ModelRequest.Source.RANDOM_INIT ? model.withRandomInit(seed) : model;
        LoadedModel loaded = ModelLoader.load(request, downloads);
        PreprocessConfig pre = loaded.preprocess();
        Preprocessor evalPre = new Preprocessor(pre);

        SampleSource trainSource;
        SampleSource valSource = null;
        List<String> classes;
        Optional<Path[]> npy = data.npy();
        if (npy.isPresent()) {
            NpyDataset d = NpyDataset.load(npy.get()[0], npy.get()[1], numClasses != null ? numClasses : 0);
            trainSource = d;
            classes = DataSpec.indexNames(d.numClasses());
        } else {
            ImageFolder.Split split = ImageFolder.split(data.folder(), valData != null ? 0 : valFraction, seed);
            classes = split.train().classes();
            SampleTransform t = noAug ? SampleTransform.eval(evalPre) : new TrainTransform(trainTransform(pre));
            trainSource = SampleSource.images(split.train(), t);
            if (split.val() != null && split.val().size() > 0) {
                valSource = SampleSource.images(split.val(), SampleTransform.eval(evalPre));
            }
        }
        if (valData != null) {
            valSource = valData.forEval(evalPre, classes.size()).source();
        }
        int dataClasses = trainSource.numClasses();
        if (numClasses != null && numClasses != dataClasses) {
            throw new MobileNetException("--num-classes " + numClasses + " but the data has " + dataClasses
                    + " classes");
        }
        MobileNet net = loaded.net();
        if (model.source() == ModelRequest.Source.RANDOM_INIT) {
            if (net.numClasses() != dataClasses) {
                net = MobileNet.create(loaded.ref().spec(), dataClasses, seed);
            }
        } else if (net.numClasses() != dataClasses) {
            net = Finetune.withNewClassifier(net, dataClasses, seed);
        }
        LoaderOptions lo = LoaderOptions.train(batchSize, workers, seed);
        if (npy.isPresent()) {
            lo = lo.withShuffle(shuffle);
        }
        if (mixup > 0 || cutmix > 0) {
            lo = lo.withMixup(new Mixup(mixup, cutmix, 1.0, 0.5, smoothing, dataClasses, true));
        }
        RunConfig run = runConfig();
        try (DataLoader train = new DataLoader(trainSource, lo, badSamples);
             DataLoader val = valSource == null ? null : DataSpec.evalLoader(valSource, batchSize, workers)) {
            return TrainingRun.run(net, classes, train, val, run, progress, Map.of(CONFIG, config(net, pre, classes)));
        }
    }

    /** config.json beside the checkpoints (written with the first one): the run's model and eval preprocessing. */
    private static byte[] config(MobileNet net, PreprocessConfig pre, List<String> classes) {
        List<Labels.Label> labels = classes.stream().map(c -> new Labels.Label(c, c)).toList();
        return TimmConfig.json(new ModelConfig(net.spec().arch(), Optional.empty(), net.numClasses(),
                Optional.of(net.numFeatures()), pre, Optional.empty(), labels));
    }
}
