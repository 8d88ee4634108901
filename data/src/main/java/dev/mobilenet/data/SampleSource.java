package dev.mobilenet.data;

/**
 * What a {@link DataLoader} reads: a fixed number of samples, each a CHW float32 image of one size and a label.
 * Implementations must be safe to call from several threads at once and must draw every random number from
 * the {@link Rng} they are given, so that a sample depends only on (seed, epoch, index).
 */
public interface SampleSource {
    int size();

    int numClasses();

    int channels();

    int height();

    int width();

    int label(int index);

    /** Writes sample {@code index} as {@code channels x height x width} floats at {@code out[offset]}. */
    void load(int index, Rng rng, float[] out, int offset);

    /** A name for messages about sample {@code index}, e.g. its file. */
    default String describe(int index) {
        return "sample " + index;
    }

    /** Image files decoded and transformed (the train augmentation or the eval preprocessing). */
    static SampleSource images(ImageFolder folder, SampleTransform transform) {
        return new ImageSamples(folder, transform, new dev.mobilenet.image.ImageDecoder());
    }
}
