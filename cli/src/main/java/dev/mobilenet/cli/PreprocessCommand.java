package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.io.Npy;
import dev.mobilenet.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = {"Decode images (JPEG, PNG, BMP, GIF, WebP) and apply timm's eval transform, as timm + Pillow "
                + "do it; write the float32 NCHW batch as .npy (one image per row, in argument order).",
            "The transform is the model's pretrained config (resize, center crop, normalise); options override it. "
                + "Without --model, timm's defaults: 224, crop 0.875, bicubic, ImageNet mean/std."})
final class PreprocessCommand implements Callable<Integer> {
    @Mixin
    ModelName model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The .npy file to write.")
    Path output;

    @Option(names = "--test-size", description = "Use the tag's recommended test size and crop, if it has one.")
    boolean testSize;

    @Mixin
    PreprocessOptions preprocess;

    @Mixin
    MaxPixelsOption maxPixels;

    @Override
    public Integer call() {
        String out = output.getFileName() == null ? "" : output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!out.endsWith(".npy")) {
            throw new MobileNetException("the output must be an .npy file, not " + output);
        }
        PreprocessConfig cfg = config();
        ImageDecoder decoder = maxPixels.decoder();
        Preprocessor pre = new Preprocessor(cfg);
        long total = (long) pre.outputSize() * images.size();
        if (total > Integer.MAX_VALUE - 8) {
            throw new MobileNetException(images.size() + " images of " + cfg.height() + "x" + cfg.width()
                    + " do not fit in one array; preprocess fewer at a time");
        }
        float[] batch = new float[(int) total];
        for (int i = 0; i < images.size(); i++) {
            pre.apply(decoder.decode(images.get(i)), batch, i * pre.outputSize());
        }
        Npy.write(output, new Tensor(new int[] {images.size(), 3, cfg.height(), cfg.width()}, batch));
        return 0;
    }

    PreprocessConfig config() {
        PreprocessConfig base = model.optional().flatMap(n -> Registry.resolve(n).pretrained())
                .map(p -> testSize ? p.testOrDefault() : p.preprocess()).orElseGet(PreprocessConfig::timmDefaults);
        return preprocess.overrides().applyTo(base);
    }
}
