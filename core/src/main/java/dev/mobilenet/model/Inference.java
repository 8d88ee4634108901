package dev.mobilenet.model;

import dev.mobilenet.nn.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled, eval-mode network: the model's {@link MobileNet#plan() plan} with BatchNorm folded into the
 * convolutions and weights copied, so later training does not disturb it. Immutable and shareable between threads;
 * each thread runs it through its own {@link Session}.
 */
public final class Inference {
    final MobileNet model;
    final FusedStep[] steps;
    /** Steps {@code [0, preLogitsEnd)} compute pre_logits: all but the classifier. */
    final int preLogitsEnd;
    /** Steps {@code [0, featuresEnd)} compute every feature map. */
    final int featuresEnd;

    Inference(MobileNet m) {
        this.model = m;
        Compiler top = new Compiler("");
        m.plan().forEach(s -> s.accept(top));
        this.steps = top.out.toArray(new FusedStep[0]);
        this.preLogitsEnd = top.classifierAt < 0 ? steps.length : top.classifierAt;
        this.featuresEnd = top.featuresEnd;
    }

    /** Turns plan steps into compiled steps; names become full module paths. */
    private static final class Compiler implements Step.Visitor {
        final String prefix;
        final List<FusedStep> out = new ArrayList<>();
        int classifierAt = -1;
        int featuresEnd;

        Compiler(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void convBn(Step.ConvBn s) {
            boolean stem = prefix.isEmpty() && out.isEmpty();
            out.add(FusedConv.fold(prefix + s.name(), s.conv(), s.bn(), stem));
        }

        @Override
        public void se(Step.Se s) {
            out.add(FusedSe.of(prefix + s.name(), s.se()));
        }

        @Override
        public void block(Step.BlockStep s) {
            Compiler inner = new Compiler(prefix + s.name() + ".");
            s.steps().forEach(st -> st.accept(inner));
            out.add(new FusedBlock(prefix + s.name(), inner.out, s.block().hasSkip()));
        }

        @Override
        public void pool(Step.Pool s) {
            out.add(new FusedStep.Pool(prefix + s.name()));
        }

        @Override
        public void pooledConv(Step.PooledConv s) {
            int cout = s.conv().outChannels;
            float[] bias = s.conv().bias == null ? new float[cout] : s.conv().bias.clone();
            out.add(new FusedStep.PooledConv(prefix + s.name(), s.conv().weight.clone(), bias, s.conv().inChannels,
                    cout, s.act()));
        }

        @Override
        public void classifier(Step.Classifier s) {
            classifierAt = out.size();
            out.add(new FusedStep.Classifier(prefix + s.name(), s.fc().weight.clone(), s.fc().bias.clone(),
                    s.fc().inFeatures, s.fc().outFeatures));
        }

        @Override
        public void feature(Step.Feature s) {
            out.add(new FusedStep.Feature(s.index()));
            featuresEnd = out.size();
        }
    }

    public MobileNet model() {
        return model;
    }

    /** The compiled plan, in forward order; exporters walk exactly what the Java engine runs. */
    public List<FusedStep> steps() {
        return List.of(steps);
    }

    /** Steps {@code [0, preLogitsEnd())} compute timm's pre_logits: everything before the classifier. */
    public int preLogitsEnd() {
        return preLogitsEnd;
    }

    /** Steps {@code [0, featuresEnd())} compute every feature map; 0 when the model has none. */
    public int featuresEnd() {
        return featuresEnd;
    }

    /** A new single-threaded session with its own buffers; use one per calling thread. */
    public Session newSession() {
        return new Session(this, 1);
    }

    /**
     * A new session that runs each call on {@code threads} threads (the caller's and {@code threads - 1} workers);
     * close it to stop the workers.
     */
    public Session newSession(int threads) {
        return new Session(this, threads);
    }
}
