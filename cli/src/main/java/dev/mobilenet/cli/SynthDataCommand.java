package dev.mobilenet.cli;

import dev.mobilenet.data.SyntheticShapes;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "synth-data", mixinStandardHelpOptions = true,
        description = {"Write a seeded synthetic ImageFolder (train/ and val/) of rendered shapes and textures "
                + "(circle, square, triangle, star, cross, ring, stripes, checkerboard, dots) as PNG files.",
            "The same options always give the same images. The folder is written to a temporary name and renamed "
                + "when complete; it must not exist or be empty."})
final class SynthDataCommand extends StreamsCommand {
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The folder to create.")
    Path output;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "10",
            description = "Number of classes, 2..10 (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--per-class", paramLabel = "N", defaultValue = "200",
            description = "Images per class, train and val together (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--size", paramLabel = "PIXELS", defaultValue = "96",
            description = "Image side in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Fraction of each class written to val/ (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Override
    public Integer call() {
        SyntheticShapes.Summary s = SyntheticShapes.write(output, classes, perClass, size, seed, valFraction);
        io.out().println("wrote " + s.trainImages() + " train and " + s.valImages()
                + " val images of " + s.classes().size() + " classes to " + s.dir());
        return 0;
    }
}
