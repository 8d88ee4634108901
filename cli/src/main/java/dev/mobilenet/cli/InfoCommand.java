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
        List<Map<String, Object>> feats = new ArrayList<>();
        for (FeatureInfo f : net.featureInfo()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("module", f.module());
            fm.put("num_chs", f.channels());
            fm.put("reduction", f.reduction());
            fm.put("stage", f.stage());
            feats.add(fm);
        }
        m.put("feature_info", feats);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerInfo l : layers) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("layer", l.name());
            r.put("operator", l.operator());
            r.put("kernel_stride", l.kernelStride());
            r.put("expansion", l.expansion());
            r.put("se", l.se());
            r.put("activation", l.activation());
            r.put("output_shape", l.outShape());
            r.put("params", l.params());
            r.put("macs", l.macs());
            rows.add(r);
        }
        m.put("layers", rows);
        return m;
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
