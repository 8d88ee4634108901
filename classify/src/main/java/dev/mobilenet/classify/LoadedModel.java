package dev.mobilenet.classify;

import dev.mobilenet.arch.Registry;
import dev.mobilenet.hub.ModelConfig;
import dev.mobilenet.model.Inference;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model as {@link ModelLoader} loaded it: the network with its weights, the evaluation transform it expects and its
 * class names. The compiled {@link Inference} is made on first use and shared (it is immutable); run it through one
 * {@code Session} per thread.
 */
public final class LoadedModel {
    private final Registry.ModelRef ref;
    private final MobileNet net;
    private final PreprocessConfig preprocess;
    private final List<String> labels;
    private final Optional<ModelConfig> config;
    private final Optional<Path> weights;
    private Inference inference;

    LoadedModel(Registry.ModelRef ref, MobileNet net, PreprocessConfig preprocess, List<String> labels,
                Optional<ModelConfig> config, Optional<Path> weights) {
        this.ref = ref;
        this.net = net;
        this.preprocess = preprocess;
        this.labels = List.copyOf(labels);
        this.config = config;
        this.weights = weights;
    }

    /** {@code arch.tag}, or the bare architecture when it has no pretrained tag. */
    public String name() {
        return ref.name();
    }

    /** The name as the registry resolved it: the architecture spec and the pretrained tag's registry entry. */
    public Registry.ModelRef ref() {
        return ref;
    }

    /** The network, weights loaded (mutable: train it, or compile it again after changing it). */
    public MobileNet net() {
        return net;
    }

    /** The compiled network (BatchNorm folded), made once. */
    public synchronized Inference inference() {
        if (inference == null) {
            inference = net.compile();
        }
        return inference;
    }

    /** The evaluation transform: the model's config with the request's overrides. */
    public PreprocessConfig preprocess() {
        return preprocess;
    }

    /** Class names in class order; empty when unknown (callers show indices). */
    public List<String> labels() {
        return labels;
    }

    public int numClasses() {
        return net.numClasses();
    }

    /**
     * The model's config: the Hub's config.json merged over the registry's entry, a config.json beside the weights
     * file, or the registry's entry alone; empty for an architecture without any.
     */
    public Optional<ModelConfig> config() {
        return config;
    }

    /** The weights file that was loaded (the Hub cache's snapshot file, or the one given); empty for random init. */
    public Optional<Path> weights() {
        return weights;
    }
}
