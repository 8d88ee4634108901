package dev.mobilenet.nn;

import dev.mobilenet.arch.BlockType;
import java.util.ArrayList;
import java.util.List;

/** conv_dw -> bn1(act) -> [se] -> conv_pw -> bn2 (act only for V1's "dsa"), residual when allowed. */
public final class DepthwiseSeparableConv extends Block {
    public final Conv2d convDw;
    public final BatchNorm2d bn1;
    public final SqueezeExcite se;
    public final Conv2d convPw;
    public final BatchNorm2d bn2;

    public DepthwiseSeparableConv(BlockType type, int inChannels, int outChannels, boolean hasSkip, Conv2d convDw,
                                  BatchNorm2d bn1, SqueezeExcite se, Conv2d convPw, BatchNorm2d bn2) {
        super(type, inChannels, outChannels, hasSkip);
        this.convDw = convDw;
        this.bn1 = bn1;
        this.se = se;
        this.convPw = convPw;
        this.bn2 = bn2;
    }

    @Override
    public List<Step> steps() {
        List<Step> s = new ArrayList<>();
        s.add(new Step.ConvBn("conv_dw", convDw, "bn1", bn1));
        if (se != null) {
            s.add(new Step.Se("se", se));
        }
        s.add(new Step.ConvBn("conv_pw", convPw, "bn2", bn2));
        return s;
    }

    @Override
    public Conv2d strideConv() {
        return convDw;
    }

    @Override
    public SqueezeExcite se() {
        return se;
    }

    @Override
    public int midChannels() {
        return inChannels();
    }
}
