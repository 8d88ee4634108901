package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.PretrainedCfg;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.io.Npy;
import dev.mobilenet.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Decode images (JPEG, PNG, BMP, GIF, WebP) and apply timm's eval transform, as timm + Pillow "
                + "do it; write the float32 NCHW batch as .npy (one image per row, in argument order).",
            "The transform is the model's pretrained config (resize, center crop, normalise); options override it. "
                + "Without --model, timm's defaults: 224, crop 0.875, bicubic, ImageNet mean/std."})
final class PreprocessCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "NAME", description = "Architecture or arch.tag whose config to use.")
    String model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The .npy file to write.")
    Path output;

    @Option(names = "--input-size", paramLabel = "N|H,W", converter = InputSize.Converter.class,
            description = "Output size (default: the config's).")
    InputSize inputSize;

    @Option(names = "--test-size", description = "Use the tag's recommended test size and crop, if it has one.")
    boolean testSize;

    @Option(names = "--crop-pct", paramLabel = "F", description = "Fraction kept by the crop (default: the config's).")
    Double cropPct;

    @Option(names = "--crop-mode", paramLabel = "MODE", description = "center (default), squash or border.")
    String cropMode;

    @Option(names = "--interpolation", paramLabel = "NAME",
            description = "nearest, bilinear, bicubic, lanczos, box or hamming (default: the config's).")
    String interpolation;

    @Option(names = "--mean", paramLabel = "R,G,B", split = ",", hideParamSyntax = true, description = "Normalisation mean.")
    float[] mean;

    @Option(names = "--std", paramLabel = "R,G,B", split = ",", hideParamSyntax = true, description = "Normalisation std.")
    float[] std;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}, Pillow's bomb limit).",
            defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS)
    long maxPixels;

    @Override
    public Integer call() {
        String out = output.getFileName() == null ? "" : output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!out.endsWith(".npy")) {
            throw new MobileNetException("the output must be an .npy file, not " + output);
        }
        PreprocessConfig cfg = config();
        if (maxPixels < 1) {
            throw new MobileNetException("--max-pixels must be positive, got " + maxPixels);
        }
        Preprocessor pre = new Preprocessor(cfg);
        long total = (long) pre.outputSize() * images.size();
        if (total > Integer.MAX_VALUE - 8) {
            throw new MobileNetException(images.size() + " images of " + cfg.height() + "x" + cfg.width()
                    + " do not fit in one array; preprocess fewer at a time");
        }
        ImageDecoder decoder = new ImageDecoder(maxPixels);
        float[] batch = new float[(int) total];
        for (int i = 0; i < images.size(); i++) {
            pre.apply(decoder.decode(images.get(i)), batch, i * pre.outputSize());
        }
        Npy.write(output, new Tensor(new int[] {images.size(), 3, cfg.height(), cfg.width()}, batch));
        return 0;
    }

    PreprocessConfig config() {
        PreprocessConfig cfg;
        if (model != null) {
            Registry.ModelRef ref = Registry.resolve(model);
            PretrainedCfg p = ref.pretrained().orElse(null);
            cfg = p == null ? PreprocessConfig.timmDefaults() : testSize ? p.testOrDefault() : p.preprocess();
        } else {
            cfg = PreprocessConfig.timmDefaults();
        }
        if (inputSize != null) {
            cfg = cfg.withInputSize(inputSize.height(), inputSize.width());
        }
        if (cropPct != null) {
            cfg = cfg.withCropPct(cropPct);
        }
        if (cropMode != null) {
            cfg = cfg.withCropMode(cropMode);
        }
        if (interpolation != null) {
            cfg = cfg.withInterpolation(Interpolation.fromTimm(interpolation));
        }
        if (mean != null) {
            cfg = cfg.withMean(mean);
        }
        if (std != null) {
            cfg = cfg.withStd(std);
        }
        return cfg;
    }
}
