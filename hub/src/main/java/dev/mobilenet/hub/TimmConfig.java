package dev.mobilenet.hub;

import dev.mobilenet.Printable;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.arch.PretrainedCfg;
import dev.mobilenet.io.AtomicFiles;
import dev.mobilenet.io.InputFiles;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.preprocess.PreprocessConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * timm's {@code config.json} as published on the Hub (written by timm's save_config_for_hf):
 * <pre>
 * {"architecture": "mobilenetv3_large_100", "num_classes": 1000, "num_features": 1280, "global_pool": "avg",
 *  "label_names": [...] or {"0": ...}, "label_descriptions": {name: text},
 *  "pretrained_cfg": {"tag": "ra_in1k", "input_size": [3, 224, 224], "interpolation": "bicubic", "crop_pct": 0.875,
 *                     "crop_mode": "center", "mean": [...], "std": [...], "num_classes": 1000, ...}}
 * </pre>
 * The older single-dict form (no {@code pretrained_cfg}) is read as timm reads it. Every present value is
 * type- and range-checked; absent or null values are empty. Unknown keys (e.g. {@code model_args}) are ignored.
 *
 * @param numClasses top-level {@code num_classes}, which timm lets override the pretrained_cfg's
 * @param labelNames class index → label name ({@code label_names}, top level or in pretrained_cfg)
 */
public record TimmConfig(Optional<String> architecture, Optional<Integer> numClasses, Optional<Integer> numFeatures,
                         Optional<String> globalPool, Optional<List<String>> labelNames,
                         Optional<Map<String, String>> labelDescriptions, Pretrained pretrainedCfg) {

    /** Input tensor size without the batch dimension. */
    public record InputSize(int channels, int height, int width) {
    }

    /** The {@code pretrained_cfg} section. */
    public record Pretrained(Optional<String> tag, Optional<InputSize> inputSize, Optional<InputSize> testInputSize,
                             Optional<Boolean> fixedInputSize, Optional<String> interpolation,
                             Optional<Double> cropPct, Optional<Double> testCropPct, Optional<String> cropMode,
                             Optional<List<Double>> mean, Optional<List<Double>> std, Optional<Integer> numClasses,
                             Optional<Integer> labelOffset, Optional<List<String>> firstConv,
                             Optional<List<String>> classifier, Optional<String> license) {
    }

    static final long MAX_BYTES = 16L << 20;
    private static final int MAX_CLASSES = 1_000_000;
    private static final int MAX_SIDE = 16384;
    private static final int MAX_CHANNELS = 16;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A config with nothing in it: merging it gives the registry's values. */
    public static TimmConfig empty() {
        return new TimmConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), new Pretrained(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()));
    }

    /** Reads and validates a config.json file. */
    public static TimmConfig read(Path file) {
        byte[] bytes;
        InputFiles.checkedSize(file, Long.MAX_VALUE, "config.json");
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new MobileNetException("no such file: " + file);
        } catch (IOException e) {
            throw new MobileNetException("cannot read " + file + ": " + Printable.oneLine(e.getMessage()), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new MobileNetException(file + ": larger than 16 MiB, not a timm config.json");
        }
        return parse(bytes, file.toString());
    }

    /** Parses config.json bytes; {@code source} names the file in error messages. */
    public static TimmConfig parse(byte[] json, String source) {
        JsonNode root;
        try (JsonParser p = JSON.createParser(json)) {
            root = JSON.readTree(p);
            if (p.nextToken() != null) {
                throw new MobileNetException(source + ": trailing data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new MobileNetException(source + ": not valid JSON (" + Printable.oneLine(e.getOriginalMessage())
                    + ")");
        } catch (IOException e) {
            throw new MobileNetException(source + ": cannot parse: " + Printable.oneLine(e.getMessage()), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new MobileNetException(source + ": empty, expected a JSON object");
        }
        if (!root.isObject()) {
            throw new MobileNetException(source + ": expected a JSON object at the top level");
        }
        Reader r = new Reader(source);
        JsonNode pre = root.get("pretrained_cfg");
        boolean legacy = pre == null;
        if (legacy) {
            pre = root;
        } else if (!pre.isObject()) {
            throw new MobileNetException(source + ": 'pretrained_cfg' must be an object, not " + type(pre));
        }
        String p = legacy ? "" : "pretrained_cfg.";
        Optional<List<String>> labels = r.labelNames(root, "label_names", "");
        if (labels.isEmpty() && legacy) {
            labels = r.labelNames(root, "labels", "");
        }
        if (labels.isEmpty() && !legacy) {
            labels = r.labelNames(pre, "label_names", p);
        }
        Optional<Map<String, String>> descriptions = r.stringMap(root, "label_descriptions", "");
        if (descriptions.isEmpty() && !legacy) {
            descriptions = r.stringMap(pre, "label_descriptions", p);
        }
        Pretrained pc = new Pretrained(
                r.string(pre, "tag", p),
                r.inputSize(pre, "input_size", p),
                r.inputSize(pre, "test_input_size", p),
                r.bool(pre, "fixed_input_size", p),
                r.string(pre, "interpolation", p),
                r.fraction(pre, "crop_pct", p),
                r.fraction(pre, "test_crop_pct", p),
                r.string(pre, "crop_mode", p),
                r.numbers(pre, "mean", p, false),
                r.numbers(pre, "std", p, true),
                r.count(pre, "num_classes", p),
                r.count(pre, "label_offset", p),
                r.names(pre, "first_conv", p),
                r.names(pre, "classifier", p),
                r.string(pre, "license", p));
        Optional<Integer> topClasses = legacy ? Optional.empty() : r.count(root, "num_classes", "");
        return new TimmConfig(r.string(root, "architecture", ""), topClasses, r.count(root, "num_features", ""),
                r.string(root, "global_pool", ""), labels, descriptions, pc);
    }

    /**
     * {@code config} as timm's {@code save_config_for_hf} writes config.json: architecture, class count, label names
     * (with their descriptions when they differ from the names) and the pretrained_cfg's preprocessing, so that
     * {@link #read} gives back an equal config and timm's {@code pretrained_cfg_overlay} takes it.
     */
    public static byte[] json(ModelConfig config) {
        ObjectNode root = JSON.createObjectNode();
        root.put("architecture", config.arch());
        root.put("num_classes", config.numClasses());
        config.numFeatures().ifPresent(n -> root.put("num_features", n));
        root.put("global_pool", "avg");
        if (!config.labels().isEmpty()) {
            ArrayNode names = root.putArray("label_names");
            ObjectNode descriptions = JSON.createObjectNode();
            for (Labels.Label l : config.labels()) {
                names.add(l.synset());
                if (!l.name().equals(l.synset())) {
                    descriptions.put(l.synset(), l.name());
                }
            }
            if (!descriptions.isEmpty()) {
                root.set("label_descriptions", descriptions);
            }
        }
        ObjectNode pc = root.putObject("pretrained_cfg");
        config.tag().ifPresent(t -> pc.put("tag", t));
        PreprocessConfig pre = config.preprocess();
        pc.putArray("input_size").add(3).add(pre.height()).add(pre.width());
        config.test().ifPresent(t -> pc.putArray("test_input_size").add(3).add(t.height()).add(t.width()));
        pc.put("interpolation", pre.interpolation().timmName());
        pc.put("crop_pct", pre.cropPct());
        config.test().ifPresent(t -> pc.put("test_crop_pct", t.cropPct()));
        pc.put("crop_mode", pre.cropMode());
        putFloats(pc.putArray("mean"), pre.mean());
        putFloats(pc.putArray("std"), pre.std());
        pc.put("num_classes", config.numClasses());
        pc.put("first_conv", "conv_stem");
        pc.put("classifier", "classifier");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds {@code values} to {@code array}; returns it. */
    public static ArrayNode putFloats(ArrayNode array, float[] values) {
        for (float v : values) {
            array.add(v);
        }
        return array;
    }

    /** Writes {@link #json} to {@code file}, whole or not at all. */
    public static void write(ModelConfig config, Path file) {
        byte[] bytes = json(config);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The class count timm uses: top-level {@code num_classes}, else the pretrained_cfg's. */
    public Optional<Integer> effectiveNumClasses() {
        return numClasses.or(pretrainedCfg::numClasses);
    }

    /**
     * This config over the registry's: every value present here wins, the registry fills the gaps, and timm's
     * PretrainedCfg defaults fill what neither has.
     *
     * @param registry the registry's entry for the same {@code arch.tag}, if any
     * @throws MobileNetException if the two disagree on the architecture, or the config is inconsistent
     */
    public ModelConfig merge(Optional<PretrainedCfg> registry) {
        String arch = architecture.or(() -> registry.map(PretrainedCfg::arch)).orElseThrow(() ->
                new MobileNetException("config.json names no architecture and the registry has none"));
        registry.ifPresent(g -> {
            if (!g.arch().equals(arch)) {
                throw new MobileNetException("config.json is for architecture '" + arch + "' but the weights were"
                        + " asked for " + g.arch());
            }
        });
        Pretrained pc = pretrainedCfg;
        Optional<String> tag = pc.tag().or(() -> registry.map(PretrainedCfg::tag));
        int classes = effectiveNumClasses().or(() -> registry.map(PretrainedCfg::numClasses)).orElse(1000);
        Optional<PreprocessConfig> reg = registry.map(PretrainedCfg::preprocess);
        Optional<PreprocessConfig> regTest = registry.flatMap(PretrainedCfg::test);
        InputSize in = pc.inputSize().orElseGet(() -> reg.map(r -> new InputSize(3, r.height(), r.width()))
                .orElse(new InputSize(3, 224, 224)));
        Optional<InputSize> testSize = pc.testInputSize().or(() -> regTest.map(t -> new InputSize(3, t.height(),
                t.width())));
        double crop = pc.cropPct().or(() -> reg.map(PreprocessConfig::cropPct))
                .orElse(PreprocessConfig.DEFAULT_CROP_PCT);
        Optional<Double> testCrop = pc.testCropPct().or(() -> regTest.map(PreprocessConfig::cropPct));
        Interpolation interpolation = pc.interpolation().map(TimmConfig::interpolation)
                .or(() -> reg.map(PreprocessConfig::interpolation)).orElse(Interpolation.BICUBIC);
        float[] mean = pc.mean().map(TimmConfig::floats).or(() -> reg.map(PreprocessConfig::mean))
                .orElseGet(() -> new float[] {0.485f, 0.456f, 0.406f});
        float[] std = pc.std().map(TimmConfig::floats).or(() -> reg.map(PreprocessConfig::std))
                .orElseGet(() -> new float[] {0.229f, 0.224f, 0.225f});
        if (mean.length != in.channels() || std.length != in.channels()) {
            throw new MobileNetException("config.json: mean and std need " + in.channels() + " values (one per input"
                    + " channel), got " + mean.length + " and " + std.length);
        }
        testSize.ifPresent(t -> {
            if (t.channels() != in.channels()) {
                throw new MobileNetException("config.json: test_input_size has " + t.channels()
                        + " channels but input_size has " + in.channels());
            }
        });
        if (in.channels() != 3) {
            throw new MobileNetException("config.json: input_size has " + in.channels() + " channels; these "
                    + "MobileNets take 3 (RGB)");
        }
        labelNames.ifPresent(l -> {
            if (l.size() != classes) {
                throw new MobileNetException("config.json: label_names has " + l.size() + " entries but the model has "
                        + classes + " classes");
            }
        });
        PreprocessConfig eval;
        try {
            eval = new PreprocessConfig(in.height(), in.width(), crop, pc.cropMode().orElse("center"), interpolation,
                    mean, std);
        } catch (MobileNetException e) {
            throw new MobileNetException("config.json: " + e.getMessage());
        }
        Optional<PreprocessConfig> test = testSize.map(t -> eval.withInputSize(t.height(), t.width())
                .withCropPct(testCrop.orElse(crop)));
        return new ModelConfig(arch, tag, classes, numFeatures, eval, test, labels(classes));
    }

    /**
     * Class labels: {@code label_names} with their {@code label_descriptions} (or, for WordNet ids, the lemmas of
     * the built-in label sets), else the built-in label set for the class count, else none.
     */
    private List<Labels.Label> labels(int classes) {
        Optional<List<Labels.Label>> builtIn = Labels.of(classes);
        if (labelNames.isEmpty()) {
            return builtIn.orElse(List.of());
        }
        Map<String, String> lemmas = new HashMap<>();
        builtIn.ifPresent(ls -> ls.forEach(l -> lemmas.put(l.synset(), l.name())));
        Map<String, String> desc = labelDescriptions.orElse(Map.of());
        List<Labels.Label> out = new ArrayList<>(classes);
        for (String name : labelNames.get()) {
            out.add(new Labels.Label(name, desc.getOrDefault(name, lemmas.getOrDefault(name, name))));
        }
        return Collections.unmodifiableList(out);
    }

    private static Interpolation interpolation(String name) {
        try {
            return Interpolation.fromTimm(name);
        } catch (MobileNetException e) {
            throw new MobileNetException("config.json: " + e.getMessage());
        }
    }

    private static float[] floats(List<Double> v) {
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = v.get(i).floatValue();
        }
        return f;
    }

    private static String type(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    /** Typed access with one-line errors naming the key. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        private MobileNetException bad(String key, String expected, JsonNode n) {
            return new MobileNetException(source + ": '" + key + "' must be " + expected + ", not " + type(n));
        }

        private MobileNetException range(String key, String detail) {
            return new MobileNetException(source + ": '" + key + "' " + detail);
        }

        private static JsonNode get(JsonNode obj, String key) {
            JsonNode n = obj.get(key);
            return n == null || n.isNull() ? null : n;
        }

        /** The value at {@code key}, if present; an error unless it {@code is} what {@code expected} names. */
        private Optional<JsonNode> typed(JsonNode obj, String key, String prefix, Predicate<JsonNode> is,
                                         String expected) {
            JsonNode n = get(obj, key);
            if (n != null && !is.test(n)) {
                throw bad(prefix + key, expected, n);
            }
            return Optional.ofNullable(n);
        }

        Optional<String> string(JsonNode obj, String key, String prefix) {
            return typed(obj, key, prefix, JsonNode::isTextual, "a string").map(n -> {
                if (n.textValue().length() > 4096) {
                    throw range(prefix + key, "is longer than 4096 characters");
                }
                return n.textValue();
            });
        }

        Optional<Boolean> bool(JsonNode obj, String key, String prefix) {
            return typed(obj, key, prefix, JsonNode::isBoolean, "true or false").map(JsonNode::booleanValue);
        }

        Optional<Integer> count(JsonNode obj, String key, String prefix) {
            return typed(obj, key, prefix, JsonNode::isIntegralNumber, "a whole number").map(n -> {
                if (!n.canConvertToInt() || n.intValue() < 0 || n.intValue() > MAX_CLASSES) {
                    throw range(prefix + key, "must be between 0 and " + MAX_CLASSES + ", not " + n.asText());
                }
                return n.intValue();
            });
        }

        Optional<Double> fraction(JsonNode obj, String key, String prefix) {
            return typed(obj, key, prefix, JsonNode::isNumber, "a number").map(n -> {
                double v = n.doubleValue();
                if (!(v > 0 && v <= 4)) {
                    throw range(prefix + key, "must be in (0, 4], not " + n.asText());
                }
                return v;
            });
        }

        Optional<List<Double>> numbers(JsonNode obj, String key, String prefix, boolean positive) {
            Optional<JsonNode> found = typed(obj, key, prefix, JsonNode::isArray, "a list of numbers");
            if (found.isEmpty()) {
                return Optional.empty();
            }
            JsonNode n = found.get();
            if (n.size() == 0 || n.size() > MAX_CHANNELS) {
                throw range(prefix + key, "must have 1 to " + MAX_CHANNELS + " values, not " + n.size());
            }
            List<Double> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isNumber()) {
                    throw bad(prefix + key + "[" + out.size() + "]", "a number", e);
                }
                double v = e.doubleValue();
                if (!Double.isFinite(v) || Math.abs(v) > 1e6 || positive && !(v > 0)) {
                    throw range(prefix + key, "has an invalid value " + e.asText()
                            + (positive ? " (values must be positive)" : ""));
                }
                out.add(v);
            }
            return Optional.of(List.copyOf(out));
        }

        Optional<InputSize> inputSize(JsonNode obj, String key, String prefix) {
            Optional<JsonNode> found = typed(obj, key, prefix, n -> n.isArray() && n.size() == 3,
                    "a list [channels, height, width]");
            if (found.isEmpty()) {
                return Optional.empty();
            }
            JsonNode n = found.get();
            int[] v = new int[3];
            for (int i = 0; i < 3; i++) {
                JsonNode e = n.get(i);
                int max = i == 0 ? MAX_CHANNELS : MAX_SIDE;
                if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 1 || e.intValue() > max) {
                    throw range(prefix + key, "must be [channels, height, width] with channels 1-" + MAX_CHANNELS
                            + " and sides 1-" + MAX_SIDE + ", not " + n);
                }
                v[i] = e.intValue();
            }
            return Optional.of(new InputSize(v[0], v[1], v[2]));
        }

        /** A module name or a list of them (timm allows tuples for first_conv and classifier). */
        Optional<List<String>> names(JsonNode obj, String key, String prefix) {
            JsonNode n = get(obj, key);
            if (n == null) {
                return Optional.empty();
            }
            if (n.isTextual()) {
                return Optional.of(List.of(n.textValue()));
            }
            if (!n.isArray() || n.size() > 64) {
                throw bad(prefix + key, "a module name or a list of them", n);
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw bad(prefix + key + "[" + out.size() + "]", "a string", e);
                }
                out.add(e.textValue());
            }
            return Optional.of(List.copyOf(out));
        }

        /** label_names: a list in class order, or an object {"0": name, ...} with every index present. */
        Optional<List<String>> labelNames(JsonNode obj, String key, String prefix) {
            JsonNode n = get(obj, key);
            if (n == null) {
                return Optional.empty();
            }
            if (n.size() > MAX_CLASSES) {
                throw range(prefix + key, "has more than " + MAX_CLASSES + " entries");
            }
            if (n.isArray()) {
                List<String> out = new ArrayList<>(n.size());
                for (JsonNode e : n) {
                    out.add(label(e, prefix + key + "[" + out.size() + "]"));
                }
                return Optional.of(Collections.unmodifiableList(out));
            }
            if (!n.isObject()) {
                throw bad(prefix + key, "a list or an object of class names", n);
            }
            String[] out = new String[n.size()];
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                int i;
                try {
                    i = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    i = -1;
                }
                if (i < 0 || i >= out.length) {
                    throw range(prefix + key, "has key '" + e.getKey() + "'; keys must be the class indices 0-"
                            + (out.length - 1));
                }
                if (out[i] != null) {
                    throw range(prefix + key, "has class index " + i + " twice");
                }
                out[i] = label(e.getValue(), prefix + key + "." + e.getKey());
            }
            return Optional.of(Collections.unmodifiableList(List.of(out)));
        }

        private String label(JsonNode e, String key) {
            if (!e.isTextual()) {
                throw bad(key, "a string", e);
            }
            if (e.textValue().length() > 4096) {
                throw range(key, "is longer than 4096 characters");
            }
            return e.textValue();
        }

        Optional<Map<String, String>> stringMap(JsonNode obj, String key, String prefix) {
            JsonNode n = get(obj, key);
            if (n == null) {
                return Optional.empty();
            }
            if (!n.isObject()) {
                throw bad(prefix + key, "an object of strings", n);
            }
            if (n.size() > MAX_CLASSES) {
                throw range(prefix + key, "has more than " + MAX_CLASSES + " entries");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                out.put(e.getKey(), label(e.getValue(), prefix + key + "." + e.getKey()));
            }
            return Optional.of(Collections.unmodifiableMap(out));
        }
    }
}
