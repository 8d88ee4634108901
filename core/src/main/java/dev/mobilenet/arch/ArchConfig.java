package dev.mobilenet.arch;

import dev.mobilenet.kernels.Activation;
import java.util.List;
import java.util.Objects;

/**
 * Everything the builder needs, derived once from a {@link ModelSpec}: the unscaled table plus the model-level
 * choices that timm's generator functions make. Made with {@link #builder}, one named choice at a time.
 *
 * @param stemSize     stem channels before the width multiplier
 * @param fixStem      keep the stem at {@code stemSize} regardless of the width multiplier
 * @param headFeatures channels of the head conv (already final), 0 when there is none
 * @param seForcedAct  the SE reduce activation when fixed (V3: ReLU), or null to use the block's
 * @param seRoundToDivisor true to round SE channels to a multiple of 8 (V3), false for Python's round() (rw)
 * @param fixFirstLast keep the depth of the first and last stages unscaled
 */
public record ArchConfig(List<Stage> stages, int stemSize, boolean fixStem, Activation act, double bnEps,
                         boolean samePadding, HeadStyle headStyle, int headFeatures, boolean headBias,
                         Activation seForcedAct, boolean seRoundToDivisor, double widthMultiplier,
                         double depthMultiplier, boolean fixFirstLast) {

    /** A configuration over {@code table}: PyTorch BatchNorm eps and padding, no head conv, SE rounded to 8. */
    public static Choices builder(List<Stage> table) {
        return new Choices(table);
    }

    /** The named choices; unset ones keep the defaults {@link #builder} lists. */
    public static final class Choices {
        private final List<Stage> stages;
        private int stemSize;
        private boolean fixStem;
        private Activation act;
        private double bnEps = Architectures.BN_EPS_TORCH;
        private boolean samePadding;
        private HeadStyle headStyle = HeadStyle.CONV_BN_POOL;
        private int headFeatures;
        private boolean headBias;
        private Activation seForcedAct;
        private boolean seRoundToDivisor = true;
        private double widthMultiplier = 1.0;
        private double depthMultiplier = 1.0;
        private boolean fixFirstLast;

        private Choices(List<Stage> table) {
            this.stages = Objects.requireNonNull(table, "table");
        }

        /** Stem channels before the width multiplier. */
        public Choices stem(int channels) {
            stemSize = channels;
            return this;
        }

        /** Keep the stem unscaled. */
        public Choices fixStem(boolean fixed) {
            fixStem = fixed;
            return this;
        }

        /** The default activation of the stem, the blocks and the head. */
        public Choices act(Activation a) {
            act = a;
            return this;
        }

        public Choices bnEps(double eps) {
            bnEps = eps;
            return this;
        }

        /** TensorFlow's SAME padding instead of PyTorch's symmetric padding. */
        public Choices samePadding(boolean same) {
            samePadding = same;
            return this;
        }

        /** How the network ends, and the head conv's channels (0: none). */
        public Choices head(HeadStyle style, int features) {
            headStyle = style;
            headFeatures = features;
            return this;
        }

        public Choices headBias(boolean bias) {
            headBias = bias;
            return this;
        }

        /** The SE reduce activation, fixed for every block (V3: ReLU). */
        public Choices seAct(Activation a) {
            seForcedAct = a;
            return this;
        }

        /** SE channels rounded to a multiple of 8 (true) or with Python's round() (false, rw). */
        public Choices seRoundToDivisor(boolean divisor) {
            seRoundToDivisor = divisor;
            return this;
        }

        public Choices multipliers(double width, double depth) {
            widthMultiplier = width;
            depthMultiplier = depth;
            return this;
        }

        /** Keep the first and last stages' depths unscaled. */
        public Choices fixFirstLast(boolean fixed) {
            fixFirstLast = fixed;
            return this;
        }

        public ArchConfig build() {
            Objects.requireNonNull(act, "act");
            return new ArchConfig(stages, stemSize, fixStem, act, bnEps, samePadding, headStyle, headFeatures,
                    headBias, seForcedAct, seRoundToDivisor, widthMultiplier, depthMultiplier, fixFirstLast);
        }
    }
}
