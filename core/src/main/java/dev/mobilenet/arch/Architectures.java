package dev.mobilenet.arch;

import dev.mobilenet.kernels.Activation;
import java.util.List;

/** Derives a model's {@link ArchConfig} from its {@link ModelSpec}, following timm's generator functions. */
public final class Architectures {
    private Architectures() {
    }

    /** BatchNorm epsilon of the TensorFlow-trained weights (timm's BN_EPS_TF_DEFAULT). */
    public static final double BN_EPS_TF = 1e-3;
    public static final double BN_EPS_TORCH = 1e-5;

    public static ArchConfig config(ModelSpec s) {
        double alpha = s.widthMultiplier();
        switch (s.family()) {
            case V1: {
                int head = 0;
                if (s.headConv()) {
                    head = s.fixStemHead() ? 1024 : Math.max(1024, Channels.roundChannels(1024, alpha));
                }
                return new ArchConfig(Tables.MOBILENET_V1, 32, s.fixStemHead(), Activation.RELU6, BN_EPS_TORCH,
                        false, HeadStyle.CONV_BN_POOL, head, false, null, true, alpha, s.depthMultiplier(),
                        s.fixStemHead());
            }
            case V2: {
                int head = s.fixStemHead() ? 1280 : Math.max(1280, Channels.roundChannels(1280, alpha));
                return new ArchConfig(Tables.MOBILENET_V2, 32, s.fixStemHead(), Activation.RELU6, BN_EPS_TORCH,
                        false, HeadStyle.CONV_BN_POOL, head, false, null, true, alpha, s.depthMultiplier(),
                        s.fixStemHead());
            }
            case V3:
                if (s.v3Variant() == V3Variant.RW) {
                    return new ArchConfig(Tables.MOBILENET_V3_RW, 16, false, Activation.HARD_SWISH, BN_EPS_TF,
                            false, HeadStyle.POOL_CONV_ACT, 1280, false, null, false, alpha, 1.0, false);
                }
                boolean large = s.v3Variant() == V3Variant.LARGE;
                List<Stage> table = large
                        ? (s.minimal() ? Tables.MOBILENET_V3_LARGE_MINIMAL : Tables.MOBILENET_V3_LARGE)
                        : (s.minimal() ? Tables.MOBILENET_V3_SMALL_MINIMAL : Tables.MOBILENET_V3_SMALL);
                return new ArchConfig(table, 16, alpha < 0.75,
                        s.minimal() ? Activation.RELU : Activation.HARD_SWISH,
                        s.tf() ? BN_EPS_TF : BN_EPS_TORCH, s.tf(), HeadStyle.POOL_CONV_ACT,
                        large ? 1280 : 1024, true, Activation.RELU, true, alpha, s.depthMultiplier(), false);
            default:
                throw new AssertionError(s.family());
        }
    }
}
