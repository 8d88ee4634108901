package dev.mobilenet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that pick a model to run or export on tensors: a weights file, or timm's random initialisation. */
final class ModelOptions {
    @Mixin
    ModelName model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "timm state dict (.safetensors). Without it the model is randomly initialised.")
    Path weights;

    @Option(names = "--num-classes", paramLabel = "N",
            description = "Classifier size (default: the weights file's, else the tag's, else 1000).")
    Integer numClasses;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random initialisation when no weights are given (default: 0).")
    long seed;

    Registry.ModelRef ref() {
        return Registry.resolve(model.get());
    }

    /** Builds the model and loads the weights, if any. */
    LoadedModel load() {
        ModelRequest req = ModelRequest.of(model.get());
        req = weights != null ? req.withWeights(weights) : req.withRandomInit(seed);
        if (numClasses != null) {
            req = req.withNumClasses(numClasses);
        }
        return ModelLoader.load(req);
    }

    /**
     * Name and preprocessing facts for exported files; the class names too when the model has them (as a JSON array
     * in class order).
     */
    static Map<String, String> metadata(LoadedModel m) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("model_name", m.name());
        m.ref().pretrained().ifPresent(p -> out.put("hf_hub_id", p.hfHubId()));
        m.config().ifPresent(c -> {
            PreprocessConfig pre = c.preprocess();
            out.put("mean", floats(pre.mean()));
            out.put("std", floats(pre.std()));
            out.put("interpolation", pre.interpolation().timmName());
            out.put("crop_pct", Double.toString(pre.cropPct()));
        });
        if (!m.labels().isEmpty()) {
            List<String> builtIn = Labels.of(m.numClasses()).orElse(List.of()).stream().map(Labels.Label::name)
                    .toList();
            if (builtIn.equals(m.labels())) {
                Labels.labelSet(m.numClasses()).ifPresent(set -> out.put("label_set", set));
            }
            try {
                out.put("labels", new ObjectMapper().writeValueAsString(m.labels()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static String floats(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "%s", v[i]));
        }
        return sb.toString();
    }
}
