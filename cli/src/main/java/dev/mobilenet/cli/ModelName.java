package dev.mobilenet.cli;

import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --model}, the one declaration every command that takes a model mixes in. Required unless the command
 * says otherwise ({@code preprocess} falls back to timm's defaults); a missing one is a usage error (exit 2).
 */
final class ModelName {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--model", paramLabel = "NAME",
            description = "timm name: arch.tag, or a bare architecture for its default tag "
                    + "(e.g. mobilenetv3_large_100.ra_in1k).")
    String name;

    /** The name; a usage error when it was not given. */
    String get() {
        if (name == null) {
            throw new ParameterException(mixee.commandLine(), "Missing required option: '--model=NAME'");
        }
        return name;
    }

    Optional<String> optional() {
        return Optional.ofNullable(name);
    }
}
