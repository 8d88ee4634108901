package dev.mobilenet.nn;

/** One step of a block's forward pass, in order: a conv with its BatchNorm(+act), or a squeeze-excite. */
public sealed interface Step permits Step.ConvBn, Step.Se {

    /** conv -> BatchNorm -> activation (the BN's). */
    record ConvBn(Conv2d conv, BatchNorm2d bn) implements Step {
    }

    record Se(SqueezeExcite se) implements Step {
    }
}
