package dev.mobilenet.model;

import dev.mobilenet.kernels.Activation;

/**
 * One step of the compiled plan: {@link Inference} turns each {@link dev.mobilenet.nn.Step} of the model's plan into
 * one of these, with BatchNorm folded and weights copied. {@link Session} and the exporters implement {@link Visitor},
 * so a new step kind is a compile error in each of them until it is handled.
 */
public sealed interface FusedStep permits FusedConv, FusedSe, FusedBlock, FusedStep.Pool, FusedStep.PooledConv,
        FusedStep.Classifier, FusedStep.Feature {
    /** timm's module path, e.g. {@code blocks.3.1.conv_pw}. */
    String name();

    void accept(Visitor v);

    /** What every consumer of the compiled plan implements, one method per step kind. */
    interface Visitor {
        void conv(FusedConv s);

        void se(FusedSe s);

        /** A block's steps in order; a consumer that acts around them (the residual add) overrides this. */
        default void block(FusedBlock b) {
            for (FusedStep st : b.steps()) {
                st.accept(this);
            }
        }

        void pool(Pool s);

        void pooledConv(PooledConv s);

        void classifier(Classifier s);

        void feature(Feature s);
    }

    /** Global average pooling to one vector per image. */
    record Pool(String name) implements FusedStep {
        @Override
        public void accept(Visitor v) {
            v.pool(this);
        }
    }

    /**
     * V3's conv_head on the pooled vector, then {@code act}: weights [out][in], bias [out] (zeros when the conv has
     * none). The arrays are the plan's own and must not be modified.
     */
    record PooledConv(String name, float[] weight, float[] bias, int in, int out, Activation act)
            implements FusedStep {
        @Override
        public void accept(Visitor v) {
            v.pooledConv(this);
        }
    }

    /** The classifier: weights [classes][in], bias [classes]. The arrays must not be modified. */
    record Classifier(String name, float[] weight, float[] bias, int in, int out) implements FusedStep {
        @Override
        public void accept(Visitor v) {
            v.classifier(this);
        }
    }

    /** The current map is feature {@code index} of timm's features_only output. */
    record Feature(int index) implements FusedStep {
        @Override
        public String name() {
            return "features." + index;
        }

        @Override
        public void accept(Visitor v) {
            v.feature(this);
        }
    }
}
