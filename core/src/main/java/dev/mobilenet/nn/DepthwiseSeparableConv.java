package dev.mobilenet.nn;

import dev.mobilenet.arch.BlockType;

/** conv_dw -> bn1(act) -> [se] -> conv_pw -> bn2 (act only for V1's "dsa"), residual when allowed. */
public final class DepthwiseSeparableConv extends DepthwiseBlock {
    public final BatchNorm2d bn1;
    public final Conv2d convPw;
    public final BatchNorm2d bn2;

    public DepthwiseSeparableConv(BlockType type, int inChannels, int outChannels, boolean hasSkip, Conv2d convDw,
                                  BatchNorm2d bn1, SqueezeExcite se, Conv2d convPw, BatchNorm2d bn2) {
        super(type, inChannels, outChannels, hasSkip, null, new Step.ConvBn("conv_dw", convDw, "bn1", bn1), se,
                new Step.ConvBn("conv_pw", convPw, "bn2", bn2));
        this.bn1 = bn1;
        this.convPw = convPw;
        this.bn2 = bn2;
    }
}
