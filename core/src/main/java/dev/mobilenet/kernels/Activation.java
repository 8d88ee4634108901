package dev.mobilenet.kernels;

import java.util.Locale;

/** Element-wise non-linearities used by the MobileNet family, with timm's names. */
public enum Activation {
    IDENTITY,
    RELU,
    RELU6,
    HARD_SWISH,
    HARD_SIGMOID;

    /** timm's name: the constant's name in lower case. */
    public String timmName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this activation is a clamp to [{@link #clampLow}, {@link #clampHigh}] (identity, ReLU, ReLU6), which
     * the vector kernels apply as each output vector is stored; the others run in a pass over the rows written.
     */
    boolean isClamp() {
        return this == IDENTITY || this == RELU || this == RELU6;
    }

    /** The clamp's lower bound: 0 for ReLU and ReLU6, otherwise negative infinity (max with it changes nothing). */
    float clampLow() {
        return this == RELU || this == RELU6 ? 0f : Float.NEGATIVE_INFINITY;
    }

    /** The clamp's upper bound: 6 for ReLU6, otherwise positive infinity (min with it changes nothing). */
    float clampHigh() {
        return this == RELU6 ? 6f : Float.POSITIVE_INFINITY;
    }

    /** Scalar definition; every kernel must agree with this. */
    public float apply(float x) {
        switch (this) {
            case RELU:
                return x > 0f ? x : 0f;
            case RELU6:
                return Math.min(Math.max(x, 0f), 6f);
            case HARD_SWISH:
                return x * (Math.min(Math.max(x + 3f, 0f), 6f) / 6f);
            case HARD_SIGMOID:
                return Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
            default:
                return x;
        }
    }
}
