package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.Printable;
import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.classify.LoadedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What predict and embed share: the model (pretrained from the Hub, or --weights), its preprocessing and labels,
 * the images (files and folders), batching and threads.
 */
final class ClassifierOptions {
    @Mixin
    ModelName model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "A timm state dict (.safetensors) to use instead of the Hub's weights.")
    Path weights;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one per line in class order (default: config.json's, else ImageNet's).")
    Path labelsFile;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders (searched recursively).")
    List<Path> inputs;

    @Mixin
    BatchOption calls;

    @Mixin
    MaxPixelsOption maxPixels;

    @Mixin
    HubOptions hubOptions;

    @Mixin
    PreprocessOptions preprocess;

    /** Extensions searched in folders (torchvision's image extensions that the decoder reads). */
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

    /** Checks the numbers before anything loads. */
    void validate() {
        threads();
    }

    int threads() {
        int t = calls.threads();
        calls.batch();
        return t;
    }

    LoadedModel load(PrintStream err) {
        return hubOptions.load(hubOptions.request(model.get(), weights, labelsFile)
                .withPreprocess(preprocess.overrides()), err);
    }

    ImageClassifier classifier(LoadedModel m) {
        return ImageClassifier.open(m, threads(), calls.batch(), maxPixels.decoder());
    }

    private int skippedFolders;

    /**
     * Files as given, and the image files under folders (symlinks followed, as a folder given as a symlink is one),
     * sorted; a path that does not exist is kept (it fails). A folder that cannot be read is reported on {@code err}
     * and skipped, and counts as a failure ({@link #skippedFolders}); the rest of the walk goes on.
     */
    List<Path> files(PrintStream err) {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                List<Path> found = new ArrayList<>();
                try {
                    Files.walkFileTree(p, EnumSet.of(FileVisitOption.FOLLOW_LINKS), 64, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                            if (a.isRegularFile() && isImage(f)) {
                                found.add(f);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path f, IOException e) {
                            skippedFolders++;
                            err.println("mobilenet: " + Printable.escape(f.toString()) + ": cannot be read ("
                                    + reason(e) + "); skipped");
                            return FileVisitResult.CONTINUE;
                        }
                    });
                } catch (IOException e) {
                    throw new MobileNetException("cannot list " + p + ": " + reason(e));
                }
                found.sort(null);
                out.addAll(found);
            } else {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new MobileNetException("no image files found in " + inputs);
        }
        return out;
    }

    int skippedFolders() {
        return skippedFolders;
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemLoopException) {
            return "a symlink loop";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
