package dev.mobilenet.model;

/** One step of a compiled block: a convolution with BatchNorm folded in, or a squeeze-excite. */
public sealed interface FusedStep permits FusedConv, FusedSe {
    /** timm's module path, e.g. {@code blocks.3.1.conv_pw}. */
    String name();
}
