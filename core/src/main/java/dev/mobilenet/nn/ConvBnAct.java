package dev.mobilenet.nn;

import dev.mobilenet.arch.BlockType;
import java.util.List;

/** conv -> bn1(act); V3's last stage (the 1x1 conv to 960 or 576 channels). */
public final class ConvBnAct extends Block {
    public final Conv2d conv;
    public final BatchNorm2d bn1;

    public ConvBnAct(int inChannels, int outChannels, boolean hasSkip, Conv2d conv, BatchNorm2d bn1) {
        super(BlockType.CN, inChannels, outChannels, hasSkip);
        this.conv = conv;
        this.bn1 = bn1;
    }

    @Override
    public List<Step> steps() {
        return List.of(new Step.ConvBn("conv", conv, "bn1", bn1));
    }

    @Override
    public Conv2d strideConv() {
        return conv;
    }

    @Override
    public SqueezeExcite se() {
        return null;
    }

    @Override
    public int midChannels() {
        return outChannels();
    }
}
