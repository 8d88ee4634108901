package dev.mobilenet.hub;

import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.arch.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A pretrained model found in (or downloaded into) the Hub cache.
 *
 * @param model      the name as the registry resolved it
 * @param repoId     e.g. {@code timm/mobilenetv3_large_100.ra_in1k}
 * @param revision   the revision asked for (a branch, tag or commit)
 * @param commit     the commit the files come from
 * @param weights    {@code model.safetensors} in the snapshot (a symlink into blobs/, or a copy)
 * @param configFile {@code config.json} in the snapshot, when the repository has one
 * @param config     config.json merged over the registry's entry, with the class labels
 */
public record ResolvedWeights(Registry.ModelRef model, String repoId, String revision, String commit, Path weights,
                              Optional<Path> configFile, ModelConfig config) {

    /** The architecture to build. */
    public ModelSpec spec() {
        return model.spec();
    }

    /** {@code arch.tag}. */
    public String name() {
        return model.name();
    }

    /** Class labels in class-index order, or empty when unknown. */
    public List<Labels.Label> labels() {
        return config.labels();
    }
}
