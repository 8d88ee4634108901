package dev.mobilenet.training.engine;

import dev.mobilenet.model.MobileNet;
import dev.mobilenet.nn.ParamRef;
import java.util.ArrayList;
import java.util.List;

/**
 * timm's ModelEmaV3: a copy of the model whose every float state-dict entry (parameters and BatchNorm running
 * stats) follows {@code ema += (1 - decay) * (model - ema)} (torch's lerp_) and whose integer entries are copied. The EMA weights
 * live in their own {@link MobileNet} ({@link #model()}), ready to evaluate or save.
 */
public final class ModelEma {
    private final MobileNet ema;
    private final List<ParamRef> emaEntries;
    private final double decay;
    private final double minDecay;
    private final int updateAfterStep;
    private final boolean useWarmup;
    private final double warmupGamma;
    private final double warmupPower;

    public ModelEma(MobileNet model, double decay) {
        this(model, decay, 0.0, 0, false, 1.0, 2.0 / 3.0);
    }

    public ModelEma(MobileNet model, double decay, double minDecay, int updateAfterStep, boolean useWarmup,
                    double warmupGamma, double warmupPower) {
        this.ema = MobileNet.create(model.spec(), model.numClasses(), 0L);
        this.emaEntries = new ArrayList<>(ema.stateDict().values());
        this.decay = decay;
        this.minDecay = minDecay;
        this.updateAfterStep = updateAfterStep;
        this.useWarmup = useWarmup;
        this.warmupGamma = warmupGamma;
        this.warmupPower = warmupPower;
        set(model);
    }

    public MobileNet model() {
        return ema;
    }

    /** timm's get_decay: the fixed decay when step is null, else 0 until update_after_step, then (warmed) decay. */
    public double decay(Long step) {
        if (step == null) {
            return decay;
        }
        long s = Math.max(0, step - updateAfterStep - 1);
        if (s <= 0) {
            return 0.0;
        }
        if (!useWarmup) {
            return decay;
        }
        double d = 1 - Math.pow(1 + s / warmupGamma, -warmupPower);
        return Math.max(Math.min(d, decay), minDecay);
    }

    /** Copies the model into the EMA. */
    public void set(MobileNet model) {
        apply(model, 0.0);
    }

    /** One EMA update with {@link #decay(Long)} of {@code step} (null for the fixed decay). */
    public void update(MobileNet model, Long step) {
        apply(model, decay(step));
    }

    private void apply(MobileNet model, double d) {
        List<ParamRef> src = new ArrayList<>(model.stateDict().values());
        float w = (float) (1 - d);
        for (int i = 0; i < src.size(); i++) {
            ParamRef s = src.get(i);
            ParamRef e = emaEntries.get(i);
            if (s.isCounter()) {
                e.counter()[0] = s.counter()[0];
                continue;
            }
            float[] a = e.data();
            float[] b = s.data();
            if (w < 0.5f) {
                for (int j = 0; j < a.length; j++) {
                    a[j] += w * (b[j] - a[j]);
                }
            } else {
                float rest = 1f - w;
                for (int j = 0; j < a.length; j++) {
                    a[j] = b[j] - (b[j] - a[j]) * rest;
                }
            }
        }
    }
}
