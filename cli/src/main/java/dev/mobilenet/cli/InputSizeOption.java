package dev.mobilenet.cli;

import dev.mobilenet.arch.Registry;
import picocli.CommandLine.Option;

/** {@code --input-size} of the commands that build a model for one input size: info, bench and export. */
final class InputSizeOption {
    @Option(names = {"--input-size", "--img-size"}, paramLabel = "N|HxW", converter = InputSize.Converter.class,
            description = "Input size (default: the pretrained config's, else 224).")
    InputSize given;

    /** The size given, else the side of the model's pretrained config, else 224; checked. */
    InputSize orDefault(Registry.ModelRef ref) {
        InputSize size = InputSize.orDefault(given, ref);
        size.check();
        return size;
    }
}
