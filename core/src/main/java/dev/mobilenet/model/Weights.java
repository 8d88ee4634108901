package dev.mobilenet.model;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.io.SafeTensors;
import dev.mobilenet.nn.ParamRef;
import dev.mobilenet.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** timm state dicts in safetensors files: {@code model.safetensors} from the Hub loads strictly. */
public final class Weights {
    private Weights() {
    }

    /** Loads a safetensors state dict into {@code model}; see {@link MobileNet#loadStateDict}. */
    public static void load(MobileNet model, Path file) {
        try (SafeTensors st = SafeTensors.open(file)) {
            Map<String, Tensor> floats = new LinkedHashMap<>();
            Map<String, Long> counters = new LinkedHashMap<>();
            for (String key : st.keys()) {
                if (st.isFloating(key)) {
                    floats.put(key, st.getFloat(key));
                } else {
                    long[] v = st.getLong(key);
                    if (v.length != 1) {
                        throw new MobileNetException(file + ": integer entry " + key + " has " + v.length
                                + " values; only scalar counters such as num_batches_tracked are expected");
                    }
                    counters.put(key, v[0]);
                }
            }
            try {
                model.loadStateDict(floats, counters);
            } catch (MobileNetException e) {
                throw new MobileNetException(file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The number of classes a weights file's classifier has, when it has one. */
    public static Optional<Integer> classifierClasses(Path file) {
        try (SafeTensors st = SafeTensors.open(file)) {
            if (!st.contains("classifier.weight")) {
                return Optional.empty();
            }
            int[] s = st.info("classifier.weight").shape();
            return s.length == 2 ? Optional.of(s[0]) : Optional.empty();
        }
    }

    /** Writes the model's state dict, timm keys and order, float32, num_batches_tracked as I64. */
    public static void save(MobileNet model, Path file) {
        writer(model).write(file);
    }

    /** The model's state dict as a safetensors writer (a snapshot: the arrays are copied now). */
    public static SafeTensors.Writer writer(MobileNet model) {
        SafeTensors.Writer w = SafeTensors.writer().metadata("format", "pt")
                .metadata("arch", model.spec().arch());
        for (ParamRef p : model.stateDict().values()) {
            if (p.isCounter()) {
                w.putLong(p.key(), new int[0], p.counter().clone());
            } else {
                w.putFloat(p.key(), new Tensor(p.shape(), p.data().clone()));
            }
        }
        return w;
    }
}
