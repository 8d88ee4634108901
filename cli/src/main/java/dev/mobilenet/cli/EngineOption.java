package dev.mobilenet.cli;

import picocli.CommandLine.Option;

/** {@code --engine} of forward and bench: where the numbers are computed. */
final class EngineOption {
    enum Kind { java, onnxruntime }

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "java",
            description = "java (default) or onnxruntime (the model exported in memory, all graph optimisations on).")
    Kind kind;
}
