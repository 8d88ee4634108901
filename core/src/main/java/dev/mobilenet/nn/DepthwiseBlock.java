package dev.mobilenet.nn;

import dev.mobilenet.arch.BlockType;
import java.util.List;

/** A block whose stride sits in a depthwise conv ({@code conv_dw}) followed by optional squeeze-excite. */
public abstract class DepthwiseBlock extends Block {
    public final Conv2d convDw;
    public final SqueezeExcite se;

    protected DepthwiseBlock(BlockType type, int inChannels, int outChannels, boolean hasSkip, Conv2d convDw,
                             SqueezeExcite se) {
        super(type, inChannels, outChannels, hasSkip);
        this.convDw = convDw;
        this.se = se;
    }

    /** Appends {@code conv_dw -> bn} and, when present, the squeeze-excite step. */
    protected final void addDepthwiseAndSe(List<Step> steps, String bnName, BatchNorm2d bn) {
        steps.add(new Step.ConvBn("conv_dw", convDw, bnName, bn));
        if (se != null) {
            steps.add(new Step.Se("se", se));
        }
    }

    @Override
    public Conv2d strideConv() {
        return convDw;
    }

    @Override
    public SqueezeExcite se() {
        return se;
    }
}
