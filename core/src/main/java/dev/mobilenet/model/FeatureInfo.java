package dev.mobilenet.model;

/**
 * One multi-scale feature map, in timm's {@code feature_info} order.
 *
 * @param module     timm's module name ({@code bn1} for the stem, else {@code blocks.N})
 * @param channels   channels of the map
 * @param reduction  input size divided by map size (2, 4, 8, 16, 32)
 * @param stage      timm's stage index (0 is the stem)
 * @param blockIndex flat index of the block whose output is taken, -1 for the stem
 */
public record FeatureInfo(String module, int channels, int reduction, int stage, int blockIndex) {
}
