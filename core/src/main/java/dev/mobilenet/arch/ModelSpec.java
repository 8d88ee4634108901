package dev.mobilenet.arch;

import dev.mobilenet.MobileNetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed architecture name such as {@code tf_mobilenetv3_small_075} or {@code mobilenetv2_110d}: the one place
 * where a name becomes a typed description. Everything downstream reads these fields, never the name.
 *
 * @param arch            the canonical architecture name
 * @param v3Variant       the V3 table, or null for V1 and V2
 * @param minimal         V3 "minimalistic": no SE, no hard-swish, 3x3 kernels
 * @param tf              TensorFlow port: BatchNorm eps 1e-3 and TF "SAME" padding
 * @param widthMultiplier channel multiplier alpha
 * @param depthMultiplier repeat multiplier (ceil-truncated per stage)
 * @param fixStemHead     keep stem and head widths and first/last stage depths unscaled (110d, 120d)
 * @param headConv        V1 with a 1x1 head conv before pooling (the {@code h} suffix)
 */
public record ModelSpec(String arch, Family family, V3Variant v3Variant, boolean minimal, boolean tf,
                        double widthMultiplier, double depthMultiplier, boolean fixStemHead, boolean headConv) {

    private static final Pattern V1 = Pattern.compile("mobilenetv1_(\\d{3})(h?)");
    private static final Pattern V2 = Pattern.compile("mobilenetv2_(\\d{3})(d?)");
    private static final Pattern V3 = Pattern.compile("(tf_)?mobilenetv3_(large|small)(_minimal)?_(\\d{3})(d?)");

    /**
     * Parses an architecture name (without a pretrained tag). Width multipliers other than timm's registered ones
     * are built from the three-digit suffix, as timm's generator functions would build them.
     *
     * @throws MobileNetException when the name is not a MobileNet architecture
     */
    public static ModelSpec parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        Matcher m = V1.matcher(n);
        if (m.matches()) {
            return new ModelSpec(n, Family.V1, null, false, false, width(m.group(1), name), 1.0, false,
                    !m.group(2).isEmpty());
        }
        m = V2.matcher(n);
        if (m.matches()) {
            double alpha = width(m.group(1), name);
            if (m.group(2).isEmpty()) {
                return new ModelSpec(n, Family.V2, null, false, false, alpha, 1.0, false, false);
            }
            // timm defines exactly two deeper V2s; their depth multipliers are not derivable from the name.
            switch (m.group(1)) {
                case "110":
                    return new ModelSpec(n, Family.V2, null, false, false, 1.1, 1.2, true, false);
                case "120":
                    return new ModelSpec(n, Family.V2, null, false, false, 1.2, 1.4, true, false);
                default:
                    throw unknown(name);
            }
        }
        if (n.equals("mobilenetv3_rw")) {
            return new ModelSpec(n, Family.V3, V3Variant.RW, false, false, 1.0, 1.0, false, false);
        }
        m = V3.matcher(n);
        if (m.matches()) {
            boolean tf = m.group(1) != null;
            V3Variant variant = m.group(2).equals("large") ? V3Variant.LARGE : V3Variant.SMALL;
            boolean minimal = m.group(3) != null;
            double alpha = width(m.group(4), name);
            double depth = 1.0;
            if (!m.group(5).isEmpty()) {
                // timm's only deeper V3 is mobilenetv3_large_150d (depth 1.2).
                if (tf || minimal || variant != V3Variant.LARGE || !m.group(4).equals("150")) {
                    throw unknown(name);
                }
                depth = 1.2;
            }
            return new ModelSpec(n, Family.V3, variant, minimal, tf, alpha, depth, false, false);
        }
        throw unknown(name);
    }

    private static double width(String digits, String name) {
        int v = Integer.parseInt(digits);
        if (v == 0) {
            throw new MobileNetException("width multiplier must be positive in '" + name + "'");
        }
        return v / 100.0;
    }

    private static MobileNetException unknown(String name) {
        return new MobileNetException(Registry.unknownModelMessage(name));
    }
}
