package dev.mobilenet.cli;

import dev.mobilenet.arch.Registry;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List architectures, or pretrained names (arch.tag), like timm.list_models.")
final class ListCommand extends StreamsCommand {
    @Parameters(arity = "0..*", paramLabel = "PATTERN", description = "fnmatch patterns, e.g. '*mobilenetv3*'.")
    List<String> patterns = List.of();

    @Option(names = "--pretrained", description = "List pretrained weight names (arch.tag) instead of architectures.")
    boolean pretrained;

    @Override
    public Integer call() {
        for (String name : Registry.list(patterns, pretrained)) {
            io.out().println(name);
        }
        return 0;
    }
}
