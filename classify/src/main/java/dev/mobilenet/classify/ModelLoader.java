package dev.mobilenet.classify;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.hub.ModelConfig;
import dev.mobilenet.hub.ProgressListener;
import dev.mobilenet.hub.ResolvedWeights;
import dev.mobilenet.hub.TimmConfig;
import dev.mobilenet.hub.TimmHub;
import dev.mobilenet.io.LabelsFile;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one way to load a model: name → architecture → weights (Hub, file or random init) → class count →
 * labels → preprocessing. Every command, the server and Spark load through here.
 *
 * <ul>
 * <li>Class count: the request's, else the weights file's classifier, else the config's (Hub config.json, a
 * config.json beside the weights file, or the registry's tag), else 1000.</li>
 * <li>Preprocessing: the config's evaluation transform (timm's defaults without one), then the request's
 * overrides.</li>
 * <li>Labels: the request's file, else the config's label names or built-in label set when it has as many classes
 * as the model, else none.</li>
 * </ul>
 */
public final class ModelLoader {
    /** The name of a run's (and the Hub's) model config, looked for beside a weights file. */
    public static final String CONFIG_FILE = TimmHub.CONFIG_FILE;

    private ModelLoader() {
    }

    /** {@link #load(ModelRequest, ProgressListener)} without progress reports. */
    public static LoadedModel load(ModelRequest req) {
        return load(req, ProgressListener.NONE);
    }

    /**
     * Loads the model the request names.
     *
     * @param listener download progress, when the weights come from the Hub
     * @throws MobileNetException with a one-line message for an unknown name, missing or mismatched weights, a bad
     *                            labels or config file, and (as {@code HubException}) download failures
     */
    public static LoadedModel load(ModelRequest req, ProgressListener listener) {
        Registry.ModelRef ref = Registry.resolve(req.name());
        MobileNet net;
        Optional<ModelConfig> config;
        Optional<Path> weights;
        switch (req.source()) {
            case HUB -> {
                if (ref.pretrained().isEmpty()) {
                    throw new MobileNetException(ref.spec().arch() + " has no pretrained weights on the Hub; give "
                            + "--weights FILE");
                }
                ResolvedWeights r = new TimmHub(req.hubSettings()).resolve(req.name(), req.revision(), listener);
                config = Optional.of(r.config());
                net = MobileNet.create(r.spec(), req.numClasses().orElse(r.config().numClasses()), req.seed());
                weights = Optional.of(r.weights());
            }
            case FILE -> {
                Path file = req.weights().orElseThrow();
                config = configBeside(file, ref).or(() -> ref.pretrained().map(ModelConfig::of));
                int classes = req.numClasses().or(() -> Weights.classifierClasses(file))
                        .orElseGet(() -> config.map(ModelConfig::numClasses).orElse(ref.numClasses()));
                net = MobileNet.create(ref.spec(), classes, req.seed());
                weights = Optional.of(file);
            }
            default -> {
                config = ref.pretrained().map(ModelConfig::of);
                net = MobileNet.create(ref.spec(), req.numClasses().orElse(ref.numClasses()), req.seed());
                weights = Optional.empty();
            }
        }
        weights.ifPresent(w -> Weights.load(net, w));
        PreprocessConfig pre = req.preprocess().applyTo(config.map(ModelConfig::preprocess)
                .orElseGet(PreprocessConfig::timmDefaults));
        List<String> labels = req.labels().isPresent() ? readLabels(req.labels().get(), net.numClasses())
                : config.map(c -> names(c.labels(), net.numClasses())).orElse(List.of());
        return new LoadedModel(ref, net, pre, labels, config, weights);
    }

    /**
     * The config.json in the weights file's folder (a training run's, or a Hub snapshot's), merged over the
     * registry's entry for the name; empty when there is none.
     *
     * @throws MobileNetException when it is malformed or names another architecture
     */
    public static Optional<ModelConfig> configBeside(Path weights, Registry.ModelRef ref) {
        Path file = weights.toAbsolutePath().resolveSibling(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        TimmConfig c = TimmConfig.read(file);
        c.architecture().ifPresent(a -> {
            if (!a.equals(ref.spec().arch())) {
                throw new MobileNetException(file + " is for architecture '" + a + "', not " + ref.spec().arch());
            }
        });
        return Optional.of(c.merge(ref.pretrained()));
    }

    /** Class names, one per non-blank line; there must be one per class. */
    public static List<String> readLabels(Path file, int numClasses) {
        List<String> names = LabelsFile.read(file);
        if (names.size() != numClasses) {
            throw new MobileNetException(file + " has " + names.size() + " labels but the model has " + numClasses
                    + " classes");
        }
        return names;
    }

    private static List<String> names(List<Labels.Label> labels, int numClasses) {
        if (labels.size() != numClasses) {
            return List.of();
        }
        List<String> names = new ArrayList<>(numClasses);
        labels.forEach(l -> names.add(l.name()));
        return names;
    }
}
