package dev.mobilenet.training;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.data.DataLoader;
import dev.mobilenet.data.ImageFolder;
import dev.mobilenet.data.LoaderOptions;
import dev.mobilenet.data.NpyDataset;
import dev.mobilenet.data.SampleSource;
import dev.mobilenet.data.SampleTransform;
import dev.mobilenet.image.Preprocessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Labelled data as {@code train} and {@code eval} take it: an ImageFolder (torchvision's layout, with train/ and val/
 * inside or one folder to split), or preprocessed float32 NCHW images with int64 labels
 * ({@code IMAGES.npy,LABELS.npy}).
 *
 * @param folder the ImageFolder, or null for .npy data
 * @param images the .npy images, or null for a folder
 * @param labels the .npy labels, or null for a folder
 */
public record DataSpec(Path folder, Path images, Path labels) {
    /** What evaluation reads, in dataset order, with the class names (indices for .npy data). */
    public record EvalData(SampleSource source, List<String> classes) {
    }

    /** A folder, or {@code IMAGES.npy,LABELS.npy}. */
    public static DataSpec parse(String spec) {
        String[] parts = spec.split(",", -1);
        if (parts.length == 1) {
            return new DataSpec(Path.of(spec), null, null);
        }
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new MobileNetException("--data takes a folder or two .npy files as IMAGES.npy,LABELS.npy, got '"
                    + spec + "'");
        }
        return new DataSpec(null, Path.of(parts[0].strip()), Path.of(parts[1].strip()));
    }

    /** The .npy pair, when this is one. */
    public Optional<Path[]> npy() {
        return folder == null ? Optional.of(new Path[] {images, labels}) : Optional.empty();
    }

    /**
     * For evaluation: the folder's val/ when it has one (else the whole folder) through the eval transform, or the
     * .npy pair as it is.
     *
     * @param numClasses the model's classes (labels of .npy data must be below it)
     */
    public EvalData forEval(Preprocessor pre, int numClasses) {
        if (folder == null) {
            NpyDataset d = NpyDataset.load(images, labels, numClasses);
            return new EvalData(d, indexNames(d.numClasses()));
        }
        ImageFolder f = ImageFolder.forEval(folder);
        return new EvalData(SampleSource.images(f, SampleTransform.eval(pre)), f.classes());
    }

    /** Batches for evaluation: in order, the last partial batch kept. */
    public static DataLoader evalLoader(SampleSource source, int batch, int workers) {
        return new DataLoader(source, LoaderOptions.eval(batch, workers));
    }

    /** "0", "1", ... as class names where the data has none. */
    public static List<String> indexNames(int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
