package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.io.Npy;
import dev.mobilenet.io.NpyArray;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Preprocessed samples from a pair of {@code .npy} files: float32 images {@code [N, C, H, W]} (float64 is
 * converted) and int64 or int32 labels {@code [N]}. No augmentation: a sample is copied as it is.
 *
 * @param images     N x C x H x W floats
 * @param labels     one label per image, in [0, numClasses)
 * @param numClasses the number of classes
 */
public record NpyDataset(float[] images, int n, int c, int h, int w, int[] labels, int numClasses)
        implements SampleSource {

    public NpyDataset {
        if ((long) n * c * h * w != images.length || labels.length != n) {
            throw new IllegalArgumentException("shape " + n + "x" + c + "x" + h + "x" + w + " does not match "
                    + images.length + " floats and " + labels.length + " labels");
        }
    }

    /**
     * Reads and checks the two files.
     *
     * @param numClasses the number of classes, or 0 to use the largest label + 1
     * @throws MobileNetException (one line) for a wrong rank or dtype, different counts, or a label outside
     *     [0, numClasses) (naming the first such index and value)
     */
    public static NpyDataset load(Path imagesFile, Path labelsFile, int numClasses) {
        NpyArray x = Npy.read(imagesFile);
        NpyArray y = Npy.read(labelsFile);
        int[] xs = x.shape();
        if (!x.isFloat()) {
            throw new MobileNetException(imagesFile + ": images must be float32, got " + x.dtype());
        }
        if (xs.length != 4) {
            throw new MobileNetException(imagesFile + ": images must have shape [N, C, H, W], got "
                    + Arrays.toString(xs) + " (rank " + xs.length + ")");
        }
        if (y.isFloat()) {
            throw new MobileNetException(labelsFile + ": labels must be int64 or int32, got a float array");
        }
        int[] ys = y.shape();
        if (ys.length != 1) {
            throw new MobileNetException(labelsFile + ": labels must have shape [N], got " + Arrays.toString(ys)
                    + " (rank " + ys.length + ")");
        }
        if (ys[0] != xs[0]) {
            throw new MobileNetException(imagesFile + " has " + xs[0] + " images but " + labelsFile + " has "
                    + ys[0] + " labels");
        }
        if (xs[0] == 0) {
            throw new MobileNetException(imagesFile + ": no images (N = 0)");
        }
        if (numClasses < 0) {
            throw new MobileNetException("number of classes must be positive, got " + numClasses);
        }
        long[] raw = y.longs();
        int[] labels = new int[raw.length];
        long max = -1;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] < 0) {
                throw new MobileNetException(labelsFile + ": label at index " + i + " is negative (" + raw[i] + ")");
            }
            if (numClasses > 0 && raw[i] >= numClasses) {
                throw new MobileNetException(labelsFile + ": label at index " + i + " is " + raw[i]
                        + ", outside [0, " + numClasses + ")");
            }
            if (raw[i] >= Integer.MAX_VALUE) {
                throw new MobileNetException(labelsFile + ": label at index " + i + " is " + raw[i]
                        + ", too large");
            }
            labels[i] = (int) raw[i];
            max = Math.max(max, raw[i]);
        }
        int classes = numClasses > 0 ? numClasses : (int) max + 1;
        return new NpyDataset(x.floats(), xs[0], xs[1], xs[2], xs[3], labels, classes);
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public int channels() {
        return c;
    }

    @Override
    public int height() {
        return h;
    }

    @Override
    public int width() {
        return w;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public void load(int index, Rng rng, float[] out, int offset) {
        int per = c * h * w;
        System.arraycopy(images, index * per, out, offset, per);
    }

    @Override
    public String toString() {
        return "NpyDataset[" + n + "x" + c + "x" + h + "x" + w + ", " + numClasses + " classes]";
    }
}
