package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.hub.ModelConfig;
import dev.mobilenet.hub.ResolvedWeights;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.Interpolation;
import dev.mobilenet.image.PreprocessConfig;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What predict and embed share: the model (pretrained from the Hub, or --weights), its preprocessing and labels,
 * the images (files and folders), batching and threads.
 */
final class ClassifierOptions {
    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "arch.tag (or a bare arch for its default tag), e.g. mobilenetv3_large_100.ra_in1k.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "A timm state dict (.safetensors) to use instead of the Hub's weights.")
    Path weights;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one per line in class order (default: config.json's, else ImageNet's).")
    Path labelsFile;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders (searched recursively).")
    List<Path> inputs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "Images per engine call; decoding runs in parallel, a batch ahead (default: 1).")
    int batch;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the engine and for decoding (default: the machine's cores).")
    Integer threads;

    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS,
            description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}, Pillow's bomb limit).")
    long maxPixels;

    @Mixin
    HubOptions hubOptions;

    /** Extensions searched in folders (torchvision's image extensions that the decoder reads). */
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

    /** The model, ready to run, with its preprocessing and class names. */
    record Loaded(MobileNet net, PreprocessConfig preprocess, List<String> labels) {
    }

    int threads() {
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (t < 1) {
            throw new MobileNetException("--threads must be at least 1, got " + t);
        }
        if (batch < 1) {
            throw new MobileNetException("--batch must be at least 1, got " + batch);
        }
        return t;
    }

    Loaded load(PrintStream err) {
        return load(model, weights, labelsFile, hubOptions, err);
    }

    /** Loads {@code model} from {@code weights} when given, else from the Hub; labels from the file when given. */
    static Loaded load(String model, Path weights, Path labelsFile, HubOptions hubOptions, PrintStream err) {
        Registry.ModelRef ref = Registry.resolve(model);
        MobileNet net;
        ModelConfig config;
        if (weights != null) {
            int classes = ref.explicitTag() ? ref.numClasses()
                    : Weights.classifierClasses(weights).orElse(ref.numClasses());
            net = MobileNet.create(ref.spec(), classes, 0L);
            Weights.load(net, weights);
            config = ref.pretrained().map(ModelConfig::of).orElse(null);
        } else {
            if (ref.pretrained().isEmpty()) {
                throw new MobileNetException(ref.spec().arch() + " has no pretrained weights on the Hub; give "
                        + "--weights FILE");
            }
            ResolvedWeights r = hubOptions.hub().resolve(model, hubOptions.revision,
                    new DownloadCommand.BarListener(err, DownloadCommand.stderrIsTerminal()));
            net = MobileNet.create(r.spec(), r.config().numClasses(), 0L);
            Weights.load(net, r.weights());
            config = r.config();
        }
        PreprocessConfig pre = config == null ? PreprocessConfig.timmDefaults()
                : new PreprocessConfig(config.inputHeight(), config.inputWidth(), config.cropPct(), config.cropMode(),
                        Interpolation.fromTimm(config.interpolation()), config.mean(), config.std());
        return new Loaded(net, pre, labels(labelsFile, config, ref, net.numClasses()));
    }

    private static List<String> labels(Path labelsFile, ModelConfig config, Registry.ModelRef ref, int classes) {
        List<String> names = new ArrayList<>();
        if (labelsFile != null) {
            try {
                for (String line : Files.readAllLines(labelsFile, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        names.add(line.strip());
                    }
                }
            } catch (IOException e) {
                throw new MobileNetException("cannot read labels " + labelsFile + ": " + e.getMessage());
            }
            if (names.size() != classes) {
                throw new MobileNetException(labelsFile + " has " + names.size() + " labels but the model has "
                        + classes + " classes");
            }
            return names;
        }
        List<Labels.Label> known = config != null ? config.labels() : List.of();
        if (known.isEmpty()) {
            known = ref.pretrained().flatMap(Labels::of).orElse(List.of());
        }
        if (known.size() == classes) {
            known.forEach(l -> names.add(l.name()));
        }
        return names;
    }

    /** Files as given, and the image files under folders, sorted; a path that does not exist is kept (it fails). */
    List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    out.addAll(s.filter(Files::isRegularFile).filter(ClassifierOptions::isImage).sorted()
                            .collect(Collectors.toList()));
                } catch (IOException | UncheckedIOException e) {
                    throw new MobileNetException("cannot list " + p + ": " + e.getMessage());
                }
            } else {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new MobileNetException("no image files found in " + inputs);
        }
        return out;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
