package dev.mobilenet.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --batch} and {@code --threads} of the commands that run the engine on batches: predict, embed and bench. */
final class BatchOption {
    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "Images per engine call (default: 1; with bench --train 32); where the command decodes "
                    + "images, decoding runs in parallel, a batch ahead.")
    int batch;

    @Mixin
    ThreadsOption threads;

    int batch() {
        return OptionChecks.atLeastOne("--batch", batch);
    }

    /** The machine's cores unless given. */
    int threads() {
        return OptionChecks.atLeastOne("--threads", threads.orCores());
    }
}
