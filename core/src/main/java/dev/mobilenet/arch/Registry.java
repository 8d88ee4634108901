package dev.mobilenet.arch;

import static dev.mobilenet.arch.V3Variant.LARGE;
import static dev.mobilenet.arch.V3Variant.SMALL;
import static dev.mobilenet.preprocess.Interpolation.BICUBIC;

import dev.mobilenet.MobileNetException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The architectures and pretrained tags timm registers for MobileNet V1-V3, and name look-up as timm does it. */
public final class Registry {
    private Registry() {
    }

    /**
     * One registered architecture, as timm's {@code @register_model} function next to its {@code default_cfgs}: the
     * generator choices and the pretrained tags, timm's default tag first.
     */
    public record Registration(ModelSpec spec, List<PretrainedCfg> pretrained) {
        public String name() {
            return spec.arch();
        }
    }

    private static final float[] ZERO_MEAN = {0f, 0f, 0f};
    private static final float[] UNIT_STD = {1f, 1f, 1f};

    private static Registration register(ModelSpec spec, PretrainedCfg.Tag... tags) {
        List<PretrainedCfg> cfgs = new ArrayList<>();
        for (PretrainedCfg.Tag t : tags) {
            cfgs.add(t.build(spec.arch()));
        }
        return new Registration(spec, List.copyOf(cfgs));
    }

    private static PretrainedCfg.Tag tag(String tag) {
        return PretrainedCfg.tag(tag);
    }

    /** timm's registered MobileNet V1-V3 architectures with their pretrained tags, in timm's order. */
    public static final List<Registration> ENTRIES = List.of(
            register(ModelSpec.v1(1.0),
                    tag("ra4_e3600_r224_in1k").interpolation(BICUBIC).inceptionMeanStd().testSize(256, 0.95)),
            register(ModelSpec.v1(1.0).withHeadConv(),
                    tag("ra4_e3600_r224_in1k").interpolation(BICUBIC).inceptionMeanStd().testSize(256, 0.95)),
            register(ModelSpec.v1(1.25),
                    tag("ra4_e3600_r224_in1k").interpolation(BICUBIC).inceptionMeanStd().cropPct(0.9)
                            .testSize(256, 1.0)),
            register(ModelSpec.v2(0.35)),
            register(ModelSpec.v2(0.5), tag("lamb_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v2(0.75)),
            register(ModelSpec.v2(1.0), tag("ra_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v2(1.1).withDepth(1.2).withFixStemHead(), tag("ra_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v2(1.2).withDepth(1.4).withFixStemHead(), tag("ra_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v2(1.4), tag("ra_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v3(LARGE, 0.75)),
            register(ModelSpec.v3(LARGE, 1.0),
                    tag("ra_in1k").interpolation(BICUBIC),
                    tag("ra4_e3600_r224_in1k").interpolation(BICUBIC).inceptionMeanStd().cropPct(0.95)
                            .testSize(256, 1.0),
                    tag("miil_in21k_ft_in1k").meanStd(ZERO_MEAN, UNIT_STD),
                    tag("miil_in21k").meanStd(ZERO_MEAN, UNIT_STD).numClasses(11221)),
            register(ModelSpec.v3(LARGE, 1.5).withDepth(1.2),
                    tag("ra4_e3600_r256_in1k").inceptionMeanStd().inputSize(256).cropPct(0.95).testSize(320, 1.0)),
            register(ModelSpec.v3rw(), tag("rmsp_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v3(SMALL, 0.5), tag("lamb_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v3(SMALL, 0.75), tag("lamb_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v3(SMALL, 1.0), tag("lamb_in1k").interpolation(BICUBIC)),
            register(ModelSpec.v3(LARGE, 0.75).withTf(), tag("in1k").inceptionMeanStd()),
            register(ModelSpec.v3(LARGE, 1.0).withTf(), tag("in1k").inceptionMeanStd()),
            register(ModelSpec.v3(LARGE, 1.0).withTf().withMinimal(), tag("in1k").inceptionMeanStd()),
            register(ModelSpec.v3(SMALL, 0.75).withTf(), tag("in1k").inceptionMeanStd()),
            register(ModelSpec.v3(SMALL, 1.0).withTf(), tag("in1k").inceptionMeanStd()),
            register(ModelSpec.v3(SMALL, 1.0).withTf().withMinimal(), tag("in1k").inceptionMeanStd()));

    /** The registered architecture names. Other widths parse too but are not listed. */
    public static final List<String> ARCHITECTURES = ENTRIES.stream().map(Registration::name).toList();

    /** Every pretrained tag; within an architecture the first is timm's default. */
    public static final List<PretrainedCfg> PRETRAINED = ENTRIES.stream().flatMap(e -> e.pretrained().stream())
            .toList();

    /** The registered architecture of this (lower-case) name, if it is one. */
    static Optional<ModelSpec> registered(String name) {
        for (Registration e : ENTRIES) {
            if (e.name().equals(name)) {
                return Optional.of(e.spec());
            }
        }
        return Optional.empty();
    }

    /**
     * A model name resolved: the architecture and, when the name had a tag or the arch has a default, its weights.
     *
     * @param explicitTag true when the name spelled out the tag ({@code arch.tag})
     */
    public record ModelRef(ModelSpec spec, Optional<PretrainedCfg> pretrained, boolean explicitTag) {
        /** Classes of the pretrained head, or ImageNet-1k's 1000. */
        public int numClasses() {
            return pretrained.map(PretrainedCfg::numClasses).orElse(1000);
        }

        public String name() {
            return pretrained.map(PretrainedCfg::name).orElse(spec.arch());
        }
    }

    /**
     * Resolves {@code arch} or {@code arch.tag}. A bare registered arch takes timm's default tag (its first);
     * an arch with no pretrained weights (any other width) resolves without one.
     */
    public static ModelRef resolve(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        int dot = n.indexOf('.');
        String arch = dot < 0 ? n : n.substring(0, dot);
        String tag = dot < 0 ? null : n.substring(dot + 1);
        ModelSpec spec = ModelSpec.parse(arch);
        List<PretrainedCfg> tags = PRETRAINED.stream().filter(p -> p.arch().equals(spec.arch()))
                .collect(Collectors.toList());
        if (tag == null) {
            return new ModelRef(spec, tags.stream().findFirst(), false);
        }
        for (PretrainedCfg p : tags) {
            if (p.tag().equals(tag)) {
                return new ModelRef(spec, Optional.of(p), true);
            }
        }
        String known = tags.isEmpty() ? "it has no pretrained tags"
                : "known tags: " + tags.stream().map(PretrainedCfg::tag).collect(Collectors.joining(", "));
        throw new MobileNetException("unknown pretrained tag '" + tag + "' for " + spec.arch() + " (" + known + ")");
    }

    /**
     * timm.list_models: fnmatch filters over architecture names, or over {@code arch.tag} names when
     * {@code pretrained}; a filter without a tag also matches every tag of the matching architectures.
     * Sorted in timm's natural order. No filters lists everything.
     */
    public static List<String> list(List<String> filters, boolean pretrained) {
        List<String> all = pretrained
                ? PRETRAINED.stream().map(PretrainedCfg::name).collect(Collectors.toList())
                : ARCHITECTURES;
        Set<String> out = new LinkedHashSet<>();
        if (filters.isEmpty()) {
            out.addAll(all);
        }
        for (String f : filters) {
            List<String> expanded = new ArrayList<>();
            expanded.add(f);
            if (pretrained && !f.contains(".")) {
                expanded.add(f + ".*");
            }
            for (String e : expanded) {
                Pattern p = Fnmatch.compile(e);
                for (String name : all) {
                    if (p.matcher(name).matches()) {
                        out.add(name);
                    }
                }
            }
        }
        List<String> sorted = new ArrayList<>(out);
        sorted.sort(NATURAL);
        return sorted;
    }

    /** timm's _natural_key: digit runs compare as numbers, other runs as lower-case strings. */
    public static final Comparator<String> NATURAL = (a, b) -> {
        List<Object> ka = naturalKey(a);
        List<Object> kb = naturalKey(b);
        for (int i = 0; i < Math.min(ka.size(), kb.size()); i++) {
            Object x = ka.get(i);
            Object y = kb.get(i);
            int c;
            if (x instanceof Long && y instanceof Long) {
                c = Long.compare((Long) x, (Long) y);
            } else {
                c = x.toString().compareTo(y.toString());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ka.size(), kb.size());
    };

    private static final Pattern DIGITS = Pattern.compile("(\\d+)");

    private static List<Object> naturalKey(String s) {
        List<Object> parts = new ArrayList<>();
        Matcher m = DIGITS.matcher(s.toLowerCase(Locale.ROOT));
        int last = 0;
        while (m.find()) {
            parts.add(s.substring(last, m.start()).toLowerCase(Locale.ROOT));
            parts.add(Long.parseLong(m.group(1)));
            last = m.end();
        }
        parts.add(s.substring(last).toLowerCase(Locale.ROOT));
        return parts;
    }

    /** "unknown model 'x'; did you mean: a, b, c?" with the closest registered names. */
    static String unknownModelMessage(String name) {
        List<String> candidates = new ArrayList<>(ARCHITECTURES);
        PRETRAINED.forEach(p -> candidates.add(p.name()));
        String n = name.toLowerCase(Locale.ROOT);
        candidates.sort(Comparator.comparingInt((String c) -> editDistance(n, c)).thenComparing(NATURAL));
        String close = String.join(", ", candidates.subList(0, 3));
        return "unknown model '" + name + "'; did you mean: " + close
                + "? (run 'mobilenet list' for all architectures)";
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
