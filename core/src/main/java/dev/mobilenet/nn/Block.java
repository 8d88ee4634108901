package dev.mobilenet.nn;

import dev.mobilenet.arch.BlockType;
import java.util.List;
import java.util.Map;

/** A block of timm's EfficientNet builder, seen as its forward steps plus an optional residual connection. */
public abstract class Block implements Module {
    private final BlockType type;
    private final int inChannels;
    private final int outChannels;
    private final boolean hasSkip;

    protected Block(BlockType type, int inChannels, int outChannels, boolean hasSkip) {
        this.type = type;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.hasSkip = hasSkip;
    }

    public BlockType type() {
        return type;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** True when the block adds its input to its output. */
    public boolean hasSkip() {
        return hasSkip;
    }

    /** The forward pass, in order; each step names its modules (the block's only list of them). */
    public abstract List<Step> steps();

    /** The conv that carries the block's stride (the depthwise one, or the only one). */
    public abstract Conv2d strideConv();

    /** Present when the block has squeeze-excite. */
    public abstract SqueezeExcite se();

    /** Channels inside the block (after expansion). */
    public abstract int midChannels();

    /** The state-dict entries follow the steps: timm registers a block's modules in forward order. */
    @Override
    public void collect(String prefix, Map<String, ParamRef> out) {
        Step.collect(steps(), prefix, out);
    }
}
