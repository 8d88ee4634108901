package dev.mobilenet.kernels;

/** Element-wise non-linearities used by the MobileNet family, with timm's names. */
public enum Activation {
    IDENTITY("identity"),
    RELU("relu"),
    RELU6("relu6"),
    HARD_SWISH("hard_swish"),
    HARD_SIGMOID("hard_sigmoid");

    private final String timmName;

    Activation(String timmName) {
        this.timmName = timmName;
    }

    public String timmName() {
        return timmName;
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
