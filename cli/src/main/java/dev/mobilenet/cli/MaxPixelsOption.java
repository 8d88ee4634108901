package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.image.ImageDecoder;
import picocli.CommandLine.Option;

/** {@code --max-pixels}: images declaring more pixels in their header are refused before decoding. */
final class MaxPixelsOption {
    @Option(names = "--max-pixels", paramLabel = "N", defaultValue = "" + ImageDecoder.DEFAULT_MAX_PIXELS,
            description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}, Pillow's bomb limit).")
    long maxPixels;

    long get() {
        if (maxPixels < 1) {
            throw new MobileNetException("--max-pixels must be positive, got " + maxPixels);
        }
        return maxPixels;
    }

    ImageDecoder decoder() {
        return new ImageDecoder(get());
    }
}
