package dev.mobilenet.arch;

import dev.mobilenet.MobileNetException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Class names of the pretrained label spaces, in class-index order: ImageNet-1k for the in1k tags and MIIL's
 * ImageNet-21k subset (11221 classes) for {@code miil_in21k}, inferred from the class count as timm does.
 * The lists are timm's synset files joined with their WordNet lemmas (tools/make_labels.py).
 */
public final class Labels {
    private Labels() {
    }

    /** One class: its WordNet synset id and its human-readable lemma. */
    public record Label(String synset, String name) {
    }

    private static final Map<Integer, String> BY_CLASS_COUNT = Map.of(1000, "imagenet1k", 11221, "imagenet21k_miil");
    private static final Map<String, List<Label>> CACHE = new ConcurrentHashMap<>();

    /** The label set's name for a pretrained config, e.g. "imagenet1k", when known. */
    public static Optional<String> labelSet(PretrainedCfg cfg) {
        return labelSet(cfg.numClasses());
    }

    /** The built-in label set with this many classes ("imagenet1k", "imagenet21k_miil"), when there is one. */
    public static Optional<String> labelSet(int numClasses) {
        return Optional.ofNullable(BY_CLASS_COUNT.get(numClasses));
    }

    /** The labels of a pretrained config, when known. */
    public static Optional<List<Label>> of(PretrainedCfg cfg) {
        return of(cfg.numClasses());
    }

    /** The built-in labels with this many classes, when there are. */
    public static Optional<List<Label>> of(int numClasses) {
        return labelSet(numClasses).map(set -> CACHE.computeIfAbsent(set, Labels::load));
    }

    private static List<Label> load(String set) {
        String resource = "labels/" + set + ".tsv";
        try (InputStream in = Labels.class.getResourceAsStream("/dev/mobilenet/" + resource)) {
            if (in == null) {
                throw new MobileNetException("label resource " + resource + " is missing from the build");
            }
            List<Label> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int tab = line.indexOf('\t');
                out.add(new Label(line.substring(0, tab), line.substring(tab + 1)));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
