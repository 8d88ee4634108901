package dev.mobilenet.arch;

import java.util.Locale;

/** The block kinds of timm's EfficientNet builder that the MobileNet family uses, with timm's codes. */
public enum BlockType {
    /** Depthwise-separable: conv_dw -> bn1/act -> [se] -> conv_pw -> bn2 (linear), residual when shapes allow. */
    DS,
    /** MobileNetV1's depthwise-separable: like DS but the point-wise conv is followed by the activation, no residual. */
    DSA,
    /** Inverted residual: conv_pw (expand) -> conv_dw -> [se] -> conv_pwl (linear projection), residual when shapes allow. */
    IR,
    /** Plain conv -> bn -> act. */
    CN;

    /** timm's code: the constant's name in lower case. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
