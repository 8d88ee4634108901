package dev.mobilenet.cli;

import dev.mobilenet.classify.PreprocessOverrides;
import picocli.CommandLine.Option;

/**
 * The evaluation-transform overrides every command that preprocesses images accepts: each replaces the model's value
 * (its config.json, the registry's tag, or timm's defaults).
 */
final class PreprocessOptions {
    @Option(names = "--input-size", paramLabel = "N|H,W", converter = InputSize.Converter.class,
            description = "Input size after the crop (default: the model's).")
    InputSize inputSize;

    @Option(names = "--crop-pct", paramLabel = "F", description = "Fraction kept by the crop (default: the model's).")
    Double cropPct;

    @Option(names = "--crop-mode", paramLabel = "MODE", description = "center, squash or border (default: the "
            + "model's, usually center).")
    String cropMode;

    @Option(names = "--interpolation", paramLabel = "NAME",
            description = "nearest, bilinear, bicubic, lanczos, box or hamming (default: the model's).")
    String interpolation;

    @Option(names = "--mean", paramLabel = "R,G,B", split = ",", hideParamSyntax = true,
            description = "Normalisation mean (default: the model's).")
    float[] mean;

    @Option(names = "--std", paramLabel = "R,G,B", split = ",", hideParamSyntax = true,
            description = "Normalisation std (default: the model's).")
    float[] std;

    PreprocessOverrides overrides() {
        return PreprocessOverrides.of(inputSize == null ? null : new int[] {inputSize.height(), inputSize.width()},
                cropPct, cropMode, interpolation, mean, std);
    }
}
