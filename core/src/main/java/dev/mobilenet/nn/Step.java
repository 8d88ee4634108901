package dev.mobilenet.nn;

import dev.mobilenet.kernels.Activation;
import java.util.List;
import java.util.Map;

/**
 * One step of the network's forward pass. {@code MobileNet.plan()} describes the whole network once, in forward
 * order, with these steps; a block describes itself with {@link Block#steps()}. Names are timm's module names relative
 * to the enclosing {@link BlockStep} (or to the network at the top level).
 *
 * <p>Every consumer (state dict, initialisation, per-layer table, compile, session, training graph, ONNX export)
 * implements {@link Visitor}: a new step kind is a compile error in each of them until it is handled.
 */
public sealed interface Step permits Step.ConvBn, Step.Se, Step.BlockStep, Step.Pool, Step.PooledConv,
        Step.Classifier, Step.Feature {

    void accept(Visitor v);

    /** What every consumer of the plan implements, one method per step kind. */
    interface Visitor {
        void convBn(ConvBn s);

        void se(Se s);

        /** A block's steps in order; a consumer that acts around them (the residual add) overrides this. */
        default void block(BlockStep s) {
            s.steps().forEach(st -> st.accept(this));
        }

        void pool(Pool s);

        void pooledConv(PooledConv s);

        void classifier(Classifier s);

        void feature(Feature s);
    }

    /** conv -> BatchNorm -> activation (the BN's); {@code bnName} is the BatchNorm's module name. */
    record ConvBn(String name, Conv2d conv, String bnName, BatchNorm2d bn) implements Step {
        @Override
        public void accept(Visitor v) {
            v.convBn(this);
        }
    }

    /** Squeeze-excite, scaling its input in place. */
    record Se(String name, SqueezeExcite se) implements Step {
        @Override
        public void accept(Visitor v) {
            v.se(this);
        }
    }

    /**
     * One of timm's blocks ({@code blocks.i.j}): its steps, then the residual add when {@code block.hasSkip()}.
     * {@code index} counts blocks over all stages (timm's drop-path schedule uses it).
     */
    record BlockStep(String name, Block block, int index, List<Step> steps) implements Step {
        public BlockStep {
            steps = List.copyOf(steps);
        }

        @Override
        public void accept(Visitor v) {
            v.block(this);
        }
    }

    /** Global average pooling of the feature map to one vector per image. */
    record Pool(String name) implements Step {
        @Override
        public void accept(Visitor v) {
            v.pool(this);
        }
    }

    /** A 1x1 conv with bias on the pooled vector, then {@code act}: MobileNetV3's conv_head and act2. */
    record PooledConv(String name, Conv2d conv, Activation act) implements Step {
        @Override
        public void accept(Visitor v) {
            v.pooledConv(this);
        }
    }

    /** The final linear layer; what comes before it is timm's pre_logits. */
    record Classifier(String name, Linear fc) implements Step {
        @Override
        public void accept(Visitor v) {
            v.classifier(this);
        }
    }

    /** The current feature map is feature {@code index} of timm's features_only output (see feature_info). */
    record Feature(int index) implements Step {
        @Override
        public void accept(Visitor v) {
            v.feature(this);
        }
    }

    /** Adds the state-dict entries of {@code steps}, in timm's registration order, under {@code prefix}. */
    static void collect(List<Step> steps, String prefix, Map<String, ParamRef> out) {
        Visitor v = new Visitor() {
            @Override
            public void convBn(ConvBn s) {
                s.conv().collect(prefix + s.name() + ".", out);
                s.bn().collect(prefix + s.bnName() + ".", out);
            }

            @Override
            public void se(Se s) {
                s.se().collect(prefix + s.name() + ".", out);
            }

            @Override
            public void block(BlockStep s) {
                collect(s.steps(), prefix + s.name() + ".", out);
            }

            @Override
            public void pool(Pool s) {
            }

            @Override
            public void pooledConv(PooledConv s) {
                s.conv().collect(prefix + s.name() + ".", out);
            }

            @Override
            public void classifier(Classifier s) {
                s.fc().collect(prefix + s.name() + ".", out);
            }

            @Override
            public void feature(Feature s) {
            }
        };
        for (Step s : steps) {
            s.accept(v);
        }
    }
}
