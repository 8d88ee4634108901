package dev.mobilenet.model;

/**
 * One row of the per-layer table, like the papers' tables.
 *
 * @param kernelStride e.g. "3x3/2", or "-" where it does not apply
 * @param expansion    e.g. "6", "4.5", or "-"
 * @param outShape     [C, H, W] for one image
 */
public record LayerInfo(String name, String operator, String kernelStride, String expansion, boolean se,
                        String activation, int[] outShape, long params, long macs) {
}
