package dev.mobilenet.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to export.
 *
 * @param opset       ONNX opset, 13 to 21 (default 17)
 * @param height      export height; fixes the graph's spatial size unless {@code dynamicSize}
 * @param dynamicSize symbolic height and width; TF-SAME convs then use {@code auto_pad=SAME_UPPER}
 * @param metadata    extra metadata_props entries (model name, preprocessing, ...)
 */
public record ExportOptions(int opset, int height, int width, boolean dynamicSize, Output output,
                            Map<String, String> metadata) {
    public static final int DEFAULT_OPSET = 17;
    public static final int MIN_OPSET = 13;
    public static final int MAX_OPSET = 21;

    /** Which graph outputs to produce. */
    public enum Output {
        /** {@code logits}, [batch, classes] */
        LOGITS,
        /** {@code pre_logits}, [batch, head_hidden_size] */
        PRE_LOGITS,
        /** {@code features.0} .. {@code features.K}, timm's features_only order */
        FEATURES
    }

    public static ExportOptions defaults(int size) {
        return new ExportOptions(DEFAULT_OPSET, size, size, false, Output.LOGITS, Map.of());
    }

    public ExportOptions withOpset(int o) {
        return new ExportOptions(o, height, width, dynamicSize, output, metadata);
    }

    public ExportOptions withDynamicSize(boolean d) {
        return new ExportOptions(opset, height, width, d, output, metadata);
    }

    public ExportOptions withOutput(Output o) {
        return new ExportOptions(opset, height, width, dynamicSize, o, metadata);
    }

    /** Written in {@code m}'s iteration order, so that the same export gives the same bytes in every JVM. */
    public ExportOptions withMetadata(Map<String, String> m) {
        return new ExportOptions(opset, height, width, dynamicSize, output,
                Collections.unmodifiableMap(new LinkedHashMap<>(m)));
    }
}
