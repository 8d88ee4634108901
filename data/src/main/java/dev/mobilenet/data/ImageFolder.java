package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A labelled list of image files laid out as torchvision's {@code ImageFolder} reads it: one sub-folder per
 * class, class index = position in the sorted folder names, files found recursively (following links) and
 * kept when their lower-cased name ends with one of torchvision's {@code IMG_EXTENSIONS}; within a class,
 * directories are visited in sorted order and files sorted within each directory. Files and class names are
 * compared as Java strings (code units), which is Python's order for names in the Basic Multilingual Plane.
 *
 * @param root    the folder that holds the class folders
 * @param classes class names, index = label
 * @param files   image files
 * @param labels  label of each file
 */
public record ImageFolder(Path root, List<String> classes, List<Path> files, int[] labels) {
    /** torchvision's {@code IMG_EXTENSIONS}. */
    public static final List<String> IMG_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm",
            ".tif", ".tiff", ".webp");
    /** Extensions torchvision lists but the image module cannot decode; refused when the folder is scanned. */
    private static final Set<String> UNSUPPORTED = Set.of(".ppm", ".pgm", ".tif", ".tiff");

    public ImageFolder {
        classes = List.copyOf(classes);
        files = List.copyOf(files);
        labels = labels.clone();
        if (files.size() != labels.length) {
            throw new IllegalArgumentException(files.size() + " files but " + labels.length + " labels");
        }
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int size() {
        return files.size();
    }

    public int label(int i) {
        return labels[i];
    }

    public int numClasses() {
        return classes.size();
    }

    /** A train and a validation set with the same classes; {@code fromFolders} when read from train/ and val/. */
    public record Split(ImageFolder train, ImageFolder val, boolean fromFolders) {
    }

    /**
     * Scans one ImageFolder (every class folder directly under {@code dir}).
     *
     * @throws MobileNetException (one line) if the folder is missing or unreadable, has no class folders, a
     *     class folder holds no image file, or an image has an extension that cannot be decoded
     */
    public static ImageFolder scan(Path dir) {
        requireDirectory(dir);
        List<String> classes = new ArrayList<>();
        for (Path p : list(dir)) {
            if (Files.isDirectory(p)) {
                classes.add(p.getFileName().toString());
            }
        }
        Collections.sort(classes);
        if (classes.isEmpty()) {
            throw new MobileNetException(dir + ": no class folders (expected one sub-folder of images per class)");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = dir.resolve(classes.get(c));
            List<Path> found = imagesUnder(classDir);
            if (found.isEmpty()) {
                throw new MobileNetException(classDir + ": class '" + classes.get(c) + "' has no image files ("
                        + String.join(" ", IMG_EXTENSIONS) + ")");
            }
            for (Path f : found) {
                files.add(f);
                labels.add(c);
            }
        }
        return new ImageFolder(dir, classes, files, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The training and validation sets of {@code dir}: its {@code train/} and {@code val/} (or
     * {@code validation/}) folders when it has them, which must name the same classes; otherwise one folder
     * split per class (stratified) with {@code round(valFraction * count)} files of each class, at least one
     * kept for training, chosen by a permutation seeded from {@code seed} and the class index. Both sets keep
     * the scan order.
     */
    public static Split split(Path dir, double valFraction, long seed) {
        requireDirectory(dir);
        Path train = dir.resolve("train");
        Path val = Files.isDirectory(dir.resolve("val")) ? dir.resolve("val") : dir.resolve("validation");
        if (Files.isDirectory(train) && Files.isDirectory(val)) {
            ImageFolder t = scan(train);
            ImageFolder v = scan(val);
            if (!t.classes().equals(v.classes())) {
                throw new MobileNetException(dir + ": " + train.getFileName() + "/ and " + val.getFileName()
                        + "/ have different classes (" + t.numClasses() + ": " + preview(t.classes()) + " vs "
                        + v.numClasses() + ": " + preview(v.classes()) + ")");
            }
            return new Split(t, v, true);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new MobileNetException("validation fraction must be in [0, 1), got " + valFraction);
        }
        ImageFolder all = scan(Files.isDirectory(train) ? train : dir);
        List<Path> tf = new ArrayList<>();
        List<Integer> tl = new ArrayList<>();
        List<Path> vf = new ArrayList<>();
        List<Integer> vl = new ArrayList<>();
        int start = 0;
        while (start < all.size()) {
            int label = all.labels[start];
            int end = start;
            while (end < all.size() && all.labels[end] == label) {
                end++;
            }
            int count = end - start;
            int nVal = (int) Math.min(count - 1, Math.round(valFraction * count));
            boolean[] isVal = new boolean[count];
            int[] perm = Rng.of(seed, 0x5EED_5EEDL, 0, label).permutation(count);
            for (int i = 0; i < nVal; i++) {
                isVal[perm[i]] = true;
            }
            for (int i = 0; i < count; i++) {
                (isVal[i] ? vf : tf).add(all.files.get(start + i));
                (isVal[i] ? vl : tl).add(label);
            }
            start = end;
        }
        return new Split(new ImageFolder(all.root, all.classes, tf, toInts(tl)),
                new ImageFolder(all.root, all.classes, vf, toInts(vl)), false);
    }

    /** What {@code eval} reads: {@code val/} or {@code validation/} when present, else the whole folder. */
    public static ImageFolder forEval(Path dir) {
        requireDirectory(dir);
        for (String name : new String[] {"val", "validation"}) {
            if (Files.isDirectory(dir.resolve(name)) && Files.isDirectory(dir.resolve("train"))) {
                return scan(dir.resolve(name));
            }
        }
        if (Files.isDirectory(dir.resolve("train"))) {
            // A train/ folder is a split, not a class: evaluating it as the only class would score anything 100%.
            throw new MobileNetException(dir + " has train/ but no val/ or validation/ to evaluate; give the class"
                    + " folders' parent (e.g. " + dir.resolve("train") + ") or add val/");
        }
        return scan(dir);
    }

    private static String preview(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ...";
    }

    private static int[] toInts(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void requireDirectory(Path dir) {
        if (!Files.exists(dir)) {
            throw new MobileNetException(dir + ": no such folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new MobileNetException(dir + ": not a folder (expected an ImageFolder: one sub-folder per class)");
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (AccessDeniedException e) {
            throw new MobileNetException(dir + ": cannot read folder (permission denied)", e);
        } catch (NoSuchFileException e) {
            throw new MobileNetException(dir + ": no such folder", e);
        } catch (IOException | UncheckedIOException e) {
            throw new MobileNetException(dir + ": cannot read folder (" + e.getMessage() + ")", e);
        }
    }

    /** torchvision's os.walk order: directories sorted by path, files sorted within each. */
    private static List<Path> imagesUnder(Path classDir) {
        TreeMap<String, List<Path>> byDir = new TreeMap<>();
        walk(classDir, byDir, 0);
        List<Path> out = new ArrayList<>();
        for (List<Path> files : byDir.values()) {
            files.sort(null);
            out.addAll(files);
        }
        return out;
    }

    private static void walk(Path dir, TreeMap<String, List<Path>> byDir, int depth) {
        if (depth > 64) {
            throw new MobileNetException(dir + ": folders nested more than 64 deep (a link loop?)");
        }
        List<Path> here = new ArrayList<>();
        for (Path p : list(dir)) {
            if (Files.isDirectory(p)) {
                walk(p, byDir, depth + 1);
            } else if (Files.isRegularFile(p)) {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                String ext = IMG_EXTENSIONS.stream().filter(name::endsWith).findFirst().orElse(null);
                if (ext == null) {
                    continue;
                }
                if (UNSUPPORTED.contains(ext)) {
                    throw new MobileNetException(p + ": " + ext.substring(1).toUpperCase(Locale.ROOT)
                            + " images are not supported (use JPEG, PNG, BMP or WebP)");
                }
                here.add(p);
            }
        }
        byDir.put(dir.toString(), here);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageFolder f && f.root.equals(root) && f.classes.equals(classes) && f.files.equals(files)
                && Arrays.equals(f.labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * files.hashCode() + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "ImageFolder[" + root + ", " + classes.size() + " classes, " + files.size() + " images]";
    }
}
