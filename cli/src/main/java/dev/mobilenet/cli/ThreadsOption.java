package dev.mobilenet.cli;

import picocli.CommandLine.Option;

/** {@code --threads} of the commands that run the Java engine: the machine's cores unless given. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
            description = "Engine threads, and decoding threads where the command decodes images (default: the "
                    + "machine's cores).")
    Integer threads;

    int orCores() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }
}
