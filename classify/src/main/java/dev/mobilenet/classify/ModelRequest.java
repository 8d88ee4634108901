package dev.mobilenet.classify;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.hub.HubSettings;
import dev.mobilenet.hub.TimmHub;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to load: a timm name ({@code arch} or {@code arch.tag}) and where its weights come from, with the labels,
 * class count and preprocessing overrides. Immutable; each {@code with...} returns a changed copy.
 *
 * <p>The weights come from one of three places ({@link #source()}): the Hugging Face Hub (the default: timm's
 * pretrained weights of the name's tag), a timm state-dict file ({@link #withWeights}), or timm's random
 * initialisation ({@link #withRandomInit}).
 */
public final class ModelRequest {
    /** Where the weights come from. */
    public enum Source { HUB, FILE, RANDOM_INIT }

    private final String name;
    private final Source source;
    private final Path weights;
    private final long seed;
    private final Path labels;
    private final String revision;
    private final HubSettings hub;
    private final PreprocessOverrides preprocess;
    private final Integer numClasses;

    private ModelRequest(String name, Source source, Path weights, long seed, Path labels, String revision,
                         HubSettings hub, PreprocessOverrides preprocess, Integer numClasses) {
        this.name = name;
        this.source = source;
        this.weights = weights;
        this.seed = seed;
        this.labels = labels;
        this.revision = revision;
        this.hub = hub;
        this.preprocess = preprocess;
        this.numClasses = numClasses;
    }

    /** timm's pretrained weights of {@code name} from the Hub (a bare architecture takes timm's default tag). */
    public static ModelRequest of(String name) {
        Objects.requireNonNull(name, "name");
        return new ModelRequest(name, Source.HUB, null, 0L, null, TimmHub.DEFAULT_REVISION, null,
                PreprocessOverrides.NONE, null);
    }

    /** A timm state dict (.safetensors) instead of the Hub's weights; a {@code config.json} beside it is read too. */
    public ModelRequest withWeights(Path file) {
        return new ModelRequest(name, Source.FILE, Objects.requireNonNull(file, "weights"), seed, labels, revision,
                hub, preprocess, numClasses);
    }

    /** No weights: timm's random initialisation, seeded. */
    public ModelRequest withRandomInit(long initSeed) {
        return new ModelRequest(name, Source.RANDOM_INIT, null, initSeed, labels, revision, hub, preprocess,
                numClasses);
    }

    /** Class names, one per line in class order, instead of the model's. */
    public ModelRequest withLabels(Path file) {
        return new ModelRequest(name, source, weights, seed, Objects.requireNonNull(file, "labels"), revision, hub,
                preprocess, numClasses);
    }

    /** Branch, tag or commit of the Hub repository (default {@code main}). */
    public ModelRequest withRevision(String rev) {
        return new ModelRequest(name, source, weights, seed, labels, Objects.requireNonNull(rev, "revision"), hub,
                preprocess, numClasses);
    }

    /** Hub endpoint, cache and credentials (default: {@link HubSettings#fromEnvironment()} at load time). */
    public ModelRequest withHub(HubSettings settings) {
        return new ModelRequest(name, source, weights, seed, labels, revision,
                Objects.requireNonNull(settings, "hub"), preprocess, numClasses);
    }

    public ModelRequest withPreprocess(PreprocessOverrides overrides) {
        return new ModelRequest(name, source, weights, seed, labels, revision, hub,
                Objects.requireNonNull(overrides, "preprocess"), numClasses);
    }

    /** The classifier's size (default: the weights' or the pretrained config's; 0 for no classifier). */
    public ModelRequest withNumClasses(int classes) {
        if (classes < 0) {
            throw new MobileNetException("the class count must not be negative, got " + classes);
        }
        return new ModelRequest(name, source, weights, seed, labels, revision, hub, preprocess, classes);
    }

    public String name() {
        return name;
    }

    public Source source() {
        return source;
    }

    /** The weights file, for {@link Source#FILE}. */
    public Optional<Path> weights() {
        return Optional.ofNullable(weights);
    }

    /** The seed of the random initialisation (0 unless {@link #withRandomInit}). */
    public long seed() {
        return seed;
    }

    public Optional<Path> labels() {
        return Optional.ofNullable(labels);
    }

    public String revision() {
        return revision;
    }

    /** The Hub settings given, else the environment's. */
    public HubSettings hub() {
        return hub != null ? hub : HubSettings.fromEnvironment();
    }

    public PreprocessOverrides preprocess() {
        return preprocess;
    }

    /** The class count asked for, if any. */
    public Optional<Integer> numClasses() {
        return Optional.ofNullable(numClasses);
    }
}
