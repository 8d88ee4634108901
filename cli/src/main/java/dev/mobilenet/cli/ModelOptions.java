package dev.mobilenet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options that pick and load a model, shared by the commands that run or export one. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Architecture or arch.tag.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "timm state dict (.safetensors). Without it the model is randomly initialised.")
    Path weights;

    @Option(names = "--num-classes", paramLabel = "N",
            description = "Classifier size (default: the tag's, else the weights file's, else 1000).")
    Integer numClasses;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random initialisation when no weights are given (default: 0).")
    long seed;

    Registry.ModelRef ref() {
        return Registry.resolve(model);
    }

    /** Builds the model and loads the weights, if any. */
    MobileNet build() {
        Registry.ModelRef ref = ref();
        int classes = numClasses != null ? numClasses
                : ref.explicitTag() || weights == null ? ref.numClasses()
                : Weights.classifierClasses(weights).orElse(ref.numClasses());
        MobileNet net = MobileNet.create(ref.spec(), classes, seed);
        if (weights != null) {
            Weights.load(net, weights);
        }
        return net;
    }

    /** The pretrained config's default input side, else 224. */
    int defaultInputSize() {
        return ref().pretrained().map(p -> p.preprocess().height()).orElse(224);
    }

    /**
     * Name and preprocessing facts for exported files; the class names too when the model keeps the pretrained
     * tag's class count (as a JSON array in class order).
     */
    Map<String, String> metadata(int numClasses) {
        Registry.ModelRef ref = ref();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model_name", ref.name());
        ref.pretrained().ifPresent(p -> {
            m.put("hf_hub_id", p.hfHubId());
            m.put("mean", floats(p.preprocess().mean()));
            m.put("std", floats(p.preprocess().std()));
            m.put("interpolation", p.preprocess().interpolation().timmName());
            m.put("crop_pct", Double.toString(p.preprocess().cropPct()));
            if (p.numClasses() == numClasses) {
                Labels.labelSet(p).ifPresent(set -> m.put("label_set", set));
                Labels.of(p).ifPresent(labels -> m.put("labels", json(labels)));
            }
        });
        return m;
    }

    private static String json(List<Labels.Label> labels) {
        List<String> names = new ArrayList<>();
        labels.forEach(l -> names.add(l.name()));
        try {
            return new ObjectMapper().writeValueAsString(names);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String floats(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "%s", v[i]));
        }
        return sb.toString();
    }
}
