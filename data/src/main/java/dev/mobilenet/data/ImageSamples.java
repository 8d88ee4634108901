package dev.mobilenet.data;

import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.RgbImage;

/** Files of an {@link ImageFolder}, decoded as Pillow does and transformed. */
final class ImageSamples implements SampleSource {
    private final ImageFolder folder;
    private final SampleTransform transform;
    private final ImageDecoder decoder;

    ImageSamples(ImageFolder folder, SampleTransform transform, ImageDecoder decoder) {
        this.folder = folder;
        this.transform = transform;
        this.decoder = decoder;
    }

    @Override
    public int size() {
        return folder.size();
    }

    @Override
    public int numClasses() {
        return folder.numClasses();
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public int height() {
        return transform.height();
    }

    @Override
    public int width() {
        return transform.width();
    }

    @Override
    public int label(int index) {
        return folder.label(index);
    }

    @Override
    public void load(int index, Rng rng, float[] out, int offset) {
        RgbImage image = decoder.decode(folder.files().get(index));
        transform.apply(image, rng, out, offset);
    }

    @Override
    public String describe(int index) {
        return folder.files().get(index).toString();
    }
}
