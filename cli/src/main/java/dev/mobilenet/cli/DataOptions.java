package dev.mobilenet.cli;

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

/** {@code --data}: an ImageFolder, or a pair of .npy files ({@code x.npy,y.npy}). */
final class DataOptions {
    private DataOptions() {
    }

    /** The .npy pair named by {@code spec}, or null when it names a folder. */
    static Path[] npyPair(String spec) {
        String[] parts = spec.split(",", -1);
        if (parts.length == 1) {
            return null;
        }
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new MobileNetException("--data takes a folder or two .npy files as IMAGES.npy,LABELS.npy, got '"
                    + spec + "'");
        }
        return new Path[] {Path.of(parts[0].strip()), Path.of(parts[1].strip())};
    }

    static List<String> indexNames(int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** What eval reads: the folder's val/ (or the whole folder), or the .npy pair, in dataset order. */
    record Eval(SampleSource source, List<String> classes) {
    }

    static Eval forEval(String spec, Preprocessor pre, int numClasses) {
        Path[] npy = npyPair(spec);
        if (npy != null) {
            NpyDataset d = NpyDataset.load(npy[0], npy[1], numClasses);
            return new Eval(d, indexNames(d.numClasses()));
        }
        ImageFolder f = ImageFolder.forEval(Path.of(spec));
        return new Eval(SampleSource.images(f, SampleTransform.eval(pre)), f.classes());
    }

    static DataLoader evalLoader(SampleSource source, int batch, int workers) {
        return new DataLoader(source, LoaderOptions.eval(batch, workers));
    }
}
