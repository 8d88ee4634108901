package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.Printable;
import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.io.AtomicFiles;
import dev.mobilenet.io.Npy;
import dev.mobilenet.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Embed images: the pooled pre-logits features (timm's forward_head(pre_logits=True)) of each "
                + "image, written as a float32 [N, D] .npy, with the file of each row, in order, in a .txt beside it.",
            "A file that cannot be decoded is reported on stderr and left out; the exit code is then 1."})
final class EmbedCommand extends StreamsCommand {
    @Mixin
    ClassifierOptions options;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The .npy file to write.")
    Path output;

    @Option(names = "--files-output", paramLabel = "FILE",
            description = "Row order: one file per line (default: the output with .txt instead of .npy).")
    Path filesOutput;

    @Override
    public Integer call() {
        String name = output.getFileName() == null ? "" : output.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new MobileNetException("the output must be an .npy file, not " + output);
        }
        Path order = filesOutput != null ? filesOutput
                : output.resolveSibling(name.substring(0, name.length() - 4) + ".txt");
        if (order.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new MobileNetException("--files-output " + order + " is the same file as --output");
        }
        options.validate();
        LoadedModel m = options.load(io.err());
        List<ImageClassifier.Embedding> rows = new ArrayList<>();
        List<Path> inputs = options.files(io.err());
        int[] failed = {options.skippedFolders()};
        try (ImageClassifier c = options.classifier(m)) {
            c.embed(inputs, o -> {
                if (o instanceof ImageClassifier.Failure) {
                    failed[0]++;
                    io.err().println("mobilenet: " + ((ImageClassifier.Failure) o).message());
                } else if (o.file().toString().indexOf('\n') >= 0 || o.file().toString().indexOf('\r') >= 0) {
                    // One line per row: a name with a line break would shift every row after it.
                    failed[0]++;
                    io.err().println("mobilenet: " + Printable.escape(o.file().toString()) + ": a file name with a"
                            + " line break cannot be listed one per line in " + order + "; left out");
                } else {
                    rows.add((ImageClassifier.Embedding) o);
                }
            });
        }
        if (rows.isEmpty()) {
            throw new MobileNetException("no image could be decoded; nothing written");
        }
        int d = rows.get(0).vector().length;
        if ((long) rows.size() * d > Integer.MAX_VALUE - 8) {
            throw new MobileNetException(rows.size() + " embeddings of " + d + " values do not fit in one array");
        }
        float[] all = new float[rows.size() * d];
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).vector(), 0, all, i * d, d);
            files.append(rows.get(i).file()).append('\n');
        }
        byte[] npy = Npy.toBytes(new Tensor(new int[] {rows.size(), d}, all));
        byte[] text = files.toString().getBytes(StandardCharsets.UTF_8);
        Map<Path, AtomicFiles.IoWriter> both = new LinkedHashMap<>();
        both.put(output, o -> o.write(npy));
        both.put(order, o -> o.write(text));
        AtomicFiles.writeAll(both);
        return failed[0] == 0 ? 0 : 1;
    }
}
