package dev.mobilenet.training.engine;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.ParamRef;
import java.util.Map;
import java.util.Random;

/** Fine-tuning helpers. */
public final class Finetune {
    private Finetune() {
    }

    /**
     * timm's {@code reset_classifier(num_classes)}: a copy of {@code model} (every non-classifier entry, BatchNorm
     * statistics included) with a fresh classifier initialised as PyTorch's {@code nn.Linear} default does
     * (weight and bias uniform in +-1/sqrt(in_features)).
     */
    public static MobileNet withNewClassifier(MobileNet model, int numClasses, long seed) {
        if (numClasses < 1) {
            throw new MobileNetException("a new classifier needs at least 1 class, got " + numClasses);
        }
        MobileNet out = MobileNet.create(model.spec(), numClasses, seed);
        Map<String, ParamRef> src = model.stateDict();
        for (ParamRef p : out.stateDict().values()) {
            if (p.key().startsWith("classifier.")) {
                continue;
            }
            ParamRef s = src.get(p.key());
            if (p.isCounter()) {
                p.counter()[0] = s.counter()[0];
            } else {
                System.arraycopy(s.data(), 0, p.data(), 0, p.data().length);
            }
        }
        Random rng = new Random(seed);
        double bound = 1.0 / Math.sqrt(out.classifier.inFeatures);
        for (int i = 0; i < out.classifier.weight.length; i++) {
            out.classifier.weight[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        for (int i = 0; i < out.classifier.bias.length; i++) {
            out.classifier.bias[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return out;
    }
}
