package dev.mobilenet.classify;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.hub.HubSettings;
import dev.mobilenet.hub.TimmHub;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to load: a timm name ({@code arch} or {@code arch.tag}) and where its weights come from, with the labels,
 * class count and preprocessing overrides. Immutable; start from {@link #of} and change with the {@code with...}
 * methods.
 *
 * <p>The weights come from one of three places ({@link #source()}): the Hugging Face Hub (the default: timm's
 * pretrained weights of the name's tag), a timm state-dict file ({@link #withWeights}), or timm's random
 * initialisation ({@link #withRandomInit}).
 *
 * @param name       timm name, {@code arch} or {@code arch.tag}
 * @param source     where the weights come from
 * @param weights    the weights file, for {@link Source#FILE} (and only then)
 * @param seed       the seed of the random initialisation (0 unless {@link #withRandomInit})
 * @param labels     class names, one per line in class order, instead of the model's
 * @param revision   branch, tag or commit of the Hub repository
 * @param hub        Hub endpoint, cache and credentials; empty for {@link HubSettings#fromEnvironment()} at load time
 * @param preprocess changes to the model's evaluation transform
 * @param numClasses the class count asked for, if any
 */
public record ModelRequest(String name, Source source, Optional<Path> weights, long seed, Optional<Path> labels,
                           String revision, Optional<HubSettings> hub, PreprocessOverrides preprocess,
                           Optional<Integer> numClasses) {
    /** Where the weights come from. */
    public enum Source { HUB, FILE, RANDOM_INIT }

    public ModelRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(preprocess, "preprocess");
        if ((source == Source.FILE) != weights.isPresent()) {
            throw new MobileNetException("a weights file goes with Source.FILE, and only with it");
        }
        if (numClasses.isPresent() && numClasses.get() < 0) {
            throw new MobileNetException("the class count must not be negative, got " + numClasses.get());
        }
    }

    /** timm's pretrained weights of {@code name} from the Hub (a bare architecture takes timm's default tag). */
    public static ModelRequest of(String name) {
        return new ModelRequest(name, Source.HUB, Optional.empty(), 0L, Optional.empty(), TimmHub.DEFAULT_REVISION,
                Optional.empty(), PreprocessOverrides.NONE, Optional.empty());
    }

    /** A timm state dict (.safetensors) instead of the Hub's weights; a {@code config.json} beside it is read too. */
    public ModelRequest withWeights(Path file) {
        return new ModelRequest(name, Source.FILE, Optional.of(Objects.requireNonNull(file, "weights")), seed, labels,
                revision, hub, preprocess, numClasses);
    }

    /** No weights: timm's random initialisation, seeded. */
    public ModelRequest withRandomInit(long initSeed) {
        return new ModelRequest(name, Source.RANDOM_INIT, Optional.empty(), initSeed, labels, revision, hub,
                preprocess, numClasses);
    }

    /** Class names, one per line in class order, instead of the model's. */
    public ModelRequest withLabels(Path file) {
        return new ModelRequest(name, source, weights, seed, Optional.of(Objects.requireNonNull(file, "labels")),
                revision, hub, preprocess, numClasses);
    }

    /** Branch, tag or commit of the Hub repository (default {@code main}). */
    public ModelRequest withRevision(String rev) {
        return new ModelRequest(name, source, weights, seed, labels, Objects.requireNonNull(rev, "revision"), hub,
                preprocess, numClasses);
    }

    /** Hub endpoint, cache and credentials (default: {@link HubSettings#fromEnvironment()} at load time). */
    public ModelRequest withHub(HubSettings settings) {
        return new ModelRequest(name, source, weights, seed, labels, revision,
                Optional.of(Objects.requireNonNull(settings, "hub")), preprocess, numClasses);
    }

    public ModelRequest withPreprocess(PreprocessOverrides overrides) {
        return new ModelRequest(name, source, weights, seed, labels, revision, hub,
                Objects.requireNonNull(overrides, "preprocess"), numClasses);
    }

    /** The classifier's size (default: the weights' or the pretrained config's; 0 for no classifier). */
    public ModelRequest withNumClasses(int classes) {
        return new ModelRequest(name, source, weights, seed, labels, revision, hub, preprocess, Optional.of(classes));
    }

    /** The Hub settings given, else the environment's. */
    public HubSettings hubSettings() {
        return hub.orElseGet(HubSettings::fromEnvironment);
    }
}
