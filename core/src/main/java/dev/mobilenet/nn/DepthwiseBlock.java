package dev.mobilenet.nn;

import dev.mobilenet.arch.BlockType;
import java.util.ArrayList;
import java.util.List;

/**
 * A block whose stride sits in a depthwise conv ({@code conv_dw}): an optional expansion, the depthwise conv, an
 * optional squeeze-excite, and a projection. The subclasses name the steps; their order is here.
 */
public abstract class DepthwiseBlock extends Block {
    public final Conv2d convDw;
    public final SqueezeExcite se;
    private final Step.ConvBn expand;
    private final Step.ConvBn depthwise;
    private final Step.ConvBn project;

    /**
     * @param expand    the point-wise expansion, or null (the input goes straight to the depthwise conv)
     * @param depthwise {@code conv_dw} and its BatchNorm
     * @param se        squeeze-excite after the depthwise conv, or null
     * @param project   the point-wise conv to the output channels
     */
    protected DepthwiseBlock(BlockType type, int inChannels, int outChannels, boolean hasSkip, Step.ConvBn expand,
                             Step.ConvBn depthwise, SqueezeExcite se, Step.ConvBn project) {
        super(type, inChannels, outChannels, hasSkip);
        this.expand = expand;
        this.depthwise = depthwise;
        this.convDw = depthwise.conv();
        this.se = se;
        this.project = project;
    }

    @Override
    public final List<Step> steps() {
        List<Step> s = new ArrayList<>(4);
        if (expand != null) {
            s.add(expand);
        }
        s.add(depthwise);
        if (se != null) {
            s.add(new Step.Se("se", se));
        }
        s.add(project);
        return s;
    }

    /** The expansion's channels, else the input's. */
    @Override
    public final int midChannels() {
        return expand != null ? expand.conv().outChannels : inChannels();
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
