package dev.mobilenet.nn;

/** One step of a block's forward pass, in order: a conv with its BatchNorm(+act), or a squeeze-excite. */
public sealed interface Step permits Step.ConvBn, Step.Se {

    /** The step's timm module name within its block, e.g. {@code conv_pw} or {@code se}. */
    String name();

    /** conv -> BatchNorm -> activation (the BN's). */
    record ConvBn(String name, Conv2d conv, BatchNorm2d bn) implements Step {
    }

    record Se(String name, SqueezeExcite se) implements Step {
    }
}
