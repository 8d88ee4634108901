package dev.mobilenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mobilenet.arch.Labels;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.model.FeatureInfo;
import dev.mobilenet.model.LayerInfo;
import dev.mobilenet.model.MobileNet;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a model's layers, output shapes, parameters and MACs (conv and linear multiply-adds).")
final class InfoCommand extends StreamsCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Architecture or arch.tag, e.g. mobilenetv3_large_100.")
    String model;

    @Mixin
    InputSizeOption inputSize;

    @Option(names = "--num-classes", paramLabel = "N", description = "Classifier size (default: the tag's, else 1000).")
    Integer numClasses;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Registry.ModelRef ref = Registry.resolve(model);
        int classes = numClasses != null ? numClasses : ref.numClasses();
        MobileNet net = MobileNet.create(ref.spec(), classes, 0L);
        InputSize size = inputSize.orDefault(ref);
        List<LayerInfo> layers = net.summary(size.height(), size.width());
        long macs = layers.stream().mapToLong(LayerInfo::macs).sum();
        PrintWriter out = io.out();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(toJson(ref, net, size, layers, macs)));
        } else {
            printTable(out, ref, net, size, layers, macs);
        }
        return 0;
    }

    private static Map<String, Object> toJson(Registry.ModelRef ref, MobileNet net, InputSize size,
                                              List<LayerInfo> layers, long macs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", ref.name());
        m.put("arch", net.spec().arch());
        m.put("params", net.paramCount());
        m.put("macs", macs);
        m.put("input_size", List.of(3, size.height(), size.width()));
        m.put("num_classes", net.numClasses());
        m.put("num_features", net.numFeatures());
        m.put("head_hidden_size", net.headHiddenSize());
        m.put("width_multiplier", net.spec().widthMultiplier());
        m.put("depth_multiplier", net.spec().depthMultiplier());
        ref.pretrained().ifPresent(p -> {
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("tag", p.tag());
            cfg.put("hf_hub_id", p.hfHubId());
            PreprocessConfig pre = p.preprocess();
            cfg.put("input_size", List.of(3, pre.height(), pre.width()));
            cfg.put("crop_pct", pre.cropPct());
            cfg.put("interpolation", pre.interpolation().timmName());
            cfg.put("mean", pre.mean());
            cfg.put("std", pre.std());
            cfg.put("num_classes", p.numClasses());
            Labels.labelSet(p).ifPresent(set -> cfg.put("label_set", set));
            m.put("pretrained_cfg", cfg);
        });
        m.put("feature_info", rows(net.featureInfo(), List.of(Map.entry("module", FeatureInfo::module),
                Map.entry("num_chs", FeatureInfo::channels), Map.entry("reduction", FeatureInfo::reduction),
                Map.entry("stage", FeatureInfo::stage))));
        m.put("layers", rows(layers, List.of(Map.entry("layer", LayerInfo::name),
                Map.entry("operator", LayerInfo::operator), Map.entry("kernel_stride", LayerInfo::kernelStride),
                Map.entry("expansion", LayerInfo::expansion), Map.entry("se", LayerInfo::se),
                Map.entry("activation", LayerInfo::activation), Map.entry("output_shape", LayerInfo::outShape),
                Map.entry("params", LayerInfo::params), Map.entry("macs", LayerInfo::macs))));
        return m;
    }

    /** A JSON object per item: each timm key with its value, in order. */
    private static <T> List<Map<String, Object>> rows(List<T> items,
                                                       List<Map.Entry<String, Function<T, Object>>> fields) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (T item : items) {
            Map<String, Object> row = new LinkedHashMap<>();
            fields.forEach(f -> row.put(f.getKey(), f.getValue().apply(item)));
            rows.add(row);
        }
        return rows;
    }

    private static void printTable(PrintWriter out, Registry.ModelRef ref, MobileNet net, InputSize size,
                                   List<LayerInfo> layers, long macs) {
        out.printf(Locale.ROOT, "%s  input 3x%dx%d  classes %d  width %s  depth %s%n", ref.name(), size.height(),
                size.width(), net.numClasses(), trim(net.spec().widthMultiplier()),
                trim(net.spec().depthMultiplier()));
        String fmt = "%-14s %-18s %-7s %-5s %-3s %-12s %-13s %12s %15s%n";
        out.printf(Locale.ROOT, fmt, "layer", "operator", "k/s", "exp", "SE", "activation", "output", "params",
                "MACs");
        for (LayerInfo l : layers) {
            int[] s = l.outShape();
            out.printf(Locale.ROOT, fmt, l.name(), l.operator(), l.kernelStride(), l.expansion(),
                    l.se() ? "yes" : "-", l.activation(), s[0] + "x" + s[1] + "x" + s[2],
                    String.format(Locale.ROOT, "%,d", l.params()), String.format(Locale.ROOT, "%,d", l.macs()));
        }
        out.printf(Locale.ROOT, fmt, "total", "", "", "", "", "", "",
                String.format(Locale.ROOT, "%,d", net.paramCount()), String.format(Locale.ROOT, "%,d", macs));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
