package dev.mobilenet.nn;

import dev.mobilenet.arch.BlockType;

/** conv_pw (expand) -> bn1(act) -> conv_dw -> bn2(act) -> [se] -> conv_pwl -> bn3 (linear), residual when allowed. */
public final class InvertedResidual extends DepthwiseBlock {
    public final Conv2d convPw;
    public final BatchNorm2d bn1;
    public final BatchNorm2d bn2;
    public final Conv2d convPwl;
    public final BatchNorm2d bn3;

    public InvertedResidual(int inChannels, int outChannels, boolean hasSkip, Conv2d convPw, BatchNorm2d bn1,
                            Conv2d convDw, BatchNorm2d bn2, SqueezeExcite se, Conv2d convPwl, BatchNorm2d bn3) {
        super(BlockType.IR, inChannels, outChannels, hasSkip, new Step.ConvBn("conv_pw", convPw, "bn1", bn1),
                new Step.ConvBn("conv_dw", convDw, "bn2", bn2), se, new Step.ConvBn("conv_pwl", convPwl, "bn3", bn3));
        this.convPw = convPw;
        this.bn1 = bn1;
        this.bn2 = bn2;
        this.convPwl = convPwl;
        this.bn3 = bn3;
    }
}
