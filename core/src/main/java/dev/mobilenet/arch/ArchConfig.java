package dev.mobilenet.arch;

import dev.mobilenet.kernels.Activation;
import java.util.List;

/**
 * Everything the builder needs, derived once from a {@link ModelSpec}: the unscaled table plus the model-level
 * choices that timm's generator functions make.
 *
 * @param stemSize     stem channels before the width multiplier
 * @param fixStem      keep the stem at {@code stemSize} regardless of the width multiplier
 * @param headFeatures channels of the head conv (already final), 0 when there is none
 * @param seForcedAct  the SE reduce activation when fixed (V3: ReLU), or null to use the block's
 * @param seRoundToDivisor true to round SE channels to a multiple of 8 (V3), false for Python's round() (rw)
 * @param fixFirstLast keep the depth of the first and last stages unscaled
 */
public record ArchConfig(List<Stage> stages, int stemSize, boolean fixStem, Activation act, double bnEps,
                         boolean samePadding, HeadStyle headStyle, int headFeatures, boolean headBias,
                         Activation seForcedAct, boolean seRoundToDivisor, double widthMultiplier,
                         double depthMultiplier, boolean fixFirstLast) {
}
