package dev.mobilenet.model;

import java.util.function.IntUnaryOperator;

/**
 * The feature map's shape as a walk follows the network plan from an input of 3 x height x width (the per-layer
 * summary over the plan, the ONNX writer over the compiled one): each conv maps the channels and both sides.
 */
public final class MapShape {
    private int channels = 3;
    private int height;
    private int width;

    public MapShape(int height, int width) {
        this.height = height;
        this.width = width;
    }

    /** After a conv to {@code outChannels} channels whose output side is {@code outSize} of its input side. */
    public void conv(int outChannels, IntUnaryOperator outSize) {
        height = outSize.applyAsInt(height);
        width = outSize.applyAsInt(width);
        channels = outChannels;
    }

    /** After global pooling: 1 x 1. */
    public void pool() {
        height = 1;
        width = 1;
    }

    /** After a 1x1 conv on the pooled map. */
    public void channels(int outChannels) {
        channels = outChannels;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }
}
