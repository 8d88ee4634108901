package dev.mobilenet.arch;

import dev.mobilenet.kernels.Activation;

/**
 * timm's generator functions: a model's {@link ArchConfig} from its {@link ModelSpec}. One generator per family,
 * as timm's {@code _gen_mobilenet_v1}, {@code _gen_mobilenet_v2} and {@code _gen_mobilenet_v3}.
 */
public final class Architectures {
    private Architectures() {
    }

    /** BatchNorm epsilon of the TensorFlow-trained weights (timm's BN_EPS_TF_DEFAULT). */
    public static final double BN_EPS_TF = 1e-3;
    public static final double BN_EPS_TORCH = 1e-5;

    public static ArchConfig config(ModelSpec s) {
        return switch (s.family()) {
            case V1 -> v1(s);
            case V2 -> v2(s);
            case V3 -> s.v3Variant() == V3Variant.RW ? v3rw(s) : v3(s);
        };
    }

    /** {@code _gen_mobilenet_v1}: stem 32, ReLU6, head conv to 1024 only with {@code h}. */
    static ArchConfig v1(ModelSpec s) {
        int head = !s.headConv() ? 0
                : s.fixStemHead() ? 1024 : Math.max(1024, Channels.roundChannels(1024, s.widthMultiplier()));
        return ArchConfig.builder(Tables.MOBILENET_V1).stem(32).fixStem(s.fixStemHead()).act(Activation.RELU6)
                .head(HeadStyle.CONV_BN_POOL, head).multipliers(s.widthMultiplier(), s.depthMultiplier())
                .fixFirstLast(s.fixStemHead()).build();
    }

    /** {@code _gen_mobilenet_v2}: stem 32, ReLU6, head conv to 1280 (scaled up, never down). */
    static ArchConfig v2(ModelSpec s) {
        int head = s.fixStemHead() ? 1280 : Math.max(1280, Channels.roundChannels(1280, s.widthMultiplier()));
        return ArchConfig.builder(Tables.MOBILENET_V2).stem(32).fixStem(s.fixStemHead()).act(Activation.RELU6)
                .head(HeadStyle.CONV_BN_POOL, head).multipliers(s.widthMultiplier(), s.depthMultiplier())
                .fixFirstLast(s.fixStemHead()).build();
    }

    /** {@code _gen_mobilenet_v3_rw}: hard-swish, TF's BatchNorm eps, head without bias, SE with Python rounding. */
    static ArchConfig v3rw(ModelSpec s) {
        return ArchConfig.builder(Tables.MOBILENET_V3_RW).stem(16).act(Activation.HARD_SWISH).bnEps(BN_EPS_TF)
                .head(HeadStyle.POOL_CONV_ACT, 1280).seRoundToDivisor(false)
                .multipliers(s.widthMultiplier(), 1.0).build();
    }

    /**
     * {@code _gen_mobilenet_v3}: stem 16 (unscaled below α 0.75), hard-swish (ReLU when minimal), pooled head conv
     * with bias, SE reduce with ReLU; the {@code tf_} ports use TF's eps and SAME padding.
     */
    static ArchConfig v3(ModelSpec s) {
        boolean large = s.v3Variant() == V3Variant.LARGE;
        return ArchConfig.builder(large
                        ? (s.minimal() ? Tables.MOBILENET_V3_LARGE_MINIMAL : Tables.MOBILENET_V3_LARGE)
                        : (s.minimal() ? Tables.MOBILENET_V3_SMALL_MINIMAL : Tables.MOBILENET_V3_SMALL))
                .stem(16).fixStem(s.widthMultiplier() < 0.75)
                .act(s.minimal() ? Activation.RELU : Activation.HARD_SWISH)
                .bnEps(s.tf() ? BN_EPS_TF : BN_EPS_TORCH).samePadding(s.tf())
                .head(HeadStyle.POOL_CONV_ACT, large ? 1280 : 1024).headBias(true).seAct(Activation.RELU)
                .multipliers(s.widthMultiplier(), s.depthMultiplier()).build();
    }
}
