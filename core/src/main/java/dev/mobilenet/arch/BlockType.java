package dev.mobilenet.arch;

/** The block kinds of timm's EfficientNet builder that the MobileNet family uses, with timm's codes. */
public enum BlockType {
    /** Depthwise-separable: conv_dw -> bn1/act -> [se] -> conv_pw -> bn2 (linear), residual when shapes allow. */
    DS("ds"),
    /** MobileNetV1's depthwise-separable: like DS but the point-wise conv is followed by the activation, no residual. */
    DSA("dsa"),
    /** Inverted residual: conv_pw (expand) -> conv_dw -> [se] -> conv_pwl (linear projection), residual when shapes allow. */
    IR("ir"),
    /** Plain conv -> bn -> act. */
    CN("cn");

    private final String code;

    BlockType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
