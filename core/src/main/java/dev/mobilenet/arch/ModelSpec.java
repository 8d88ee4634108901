package dev.mobilenet.arch;

import dev.mobilenet.MobileNetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An architecture's generator choices, as timm's {@code _gen_mobilenet_v1/_v2/_v3} arguments: the one place where a
 * name becomes a typed description. Everything downstream reads these fields, never the name. Built with
 * {@link #v1}, {@link #v2}, {@link #v3} or {@link #v3rw} and the {@code with...} choices; the name follows from the
 * choices.
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
    private static final Pattern V2 = Pattern.compile("mobilenetv2_(\\d{3})");
    private static final Pattern V3 = Pattern.compile("(tf_)?mobilenetv3_(large|small)(_minimal)?_(\\d{3})");

    /** MobileNetV1 at a width. */
    public static ModelSpec v1(double width) {
        return named(Family.V1, null, false, false, width, 1.0, false, false);
    }

    /** MobileNetV2 at a width. */
    public static ModelSpec v2(double width) {
        return named(Family.V2, null, false, false, width, 1.0, false, false);
    }

    /** MobileNetV3 Large or Small at a width. */
    public static ModelSpec v3(V3Variant variant, double width) {
        if (variant == V3Variant.RW) {
            throw new IllegalArgumentException("mobilenetv3_rw has no width; use v3rw()");
        }
        return named(Family.V3, variant, false, false, width, 1.0, false, false);
    }

    /** timm's early {@code mobilenetv3_rw}. */
    public static ModelSpec v3rw() {
        return named(Family.V3, V3Variant.RW, false, false, 1.0, 1.0, false, false);
    }

    /** V1's 1x1 head conv before pooling ({@code h}). */
    public ModelSpec withHeadConv() {
        return named(family, v3Variant, minimal, tf, widthMultiplier, depthMultiplier, fixStemHead, true);
    }

    /** A deeper model ({@code d}): stage repeats times {@code depth}. */
    public ModelSpec withDepth(double depth) {
        return named(family, v3Variant, minimal, tf, widthMultiplier, depth, fixStemHead, headConv);
    }

    /** Stem and head widths and first/last stage depths unscaled (timm's {@code fix_stem_head}). */
    public ModelSpec withFixStemHead() {
        return named(family, v3Variant, minimal, tf, widthMultiplier, depthMultiplier, true, headConv);
    }

    /** The TensorFlow port ({@code tf_}). */
    public ModelSpec withTf() {
        return named(family, v3Variant, minimal, true, widthMultiplier, depthMultiplier, fixStemHead, headConv);
    }

    /** V3 minimalistic ({@code _minimal}). */
    public ModelSpec withMinimal() {
        return named(family, v3Variant, true, tf, widthMultiplier, depthMultiplier, fixStemHead, headConv);
    }

    private static ModelSpec named(Family family, V3Variant variant, boolean minimal, boolean tf, double width,
                                   double depth, boolean fixStemHead, boolean headConv) {
        if (!(width > 0) || !(depth > 0)) {
            throw new MobileNetException("width and depth multipliers must be positive, got " + width + " and "
                    + depth);
        }
        String digits = String.format(Locale.ROOT, "%03d", Math.round(width * 100));
        String deeper = depth != 1.0 ? "d" : "";
        String name = switch (family) {
            case V1 -> "mobilenetv1_" + digits + deeper + (headConv ? "h" : "");
            case V2 -> "mobilenetv2_" + digits + deeper;
            case V3 -> variant == V3Variant.RW ? "mobilenetv3_rw" : (tf ? "tf_" : "") + "mobilenetv3_"
                    + variant.name().toLowerCase(Locale.ROOT) + (minimal ? "_minimal" : "") + "_" + digits + deeper;
        };
        return new ModelSpec(name, family, variant, minimal, tf, width, depth, fixStemHead, headConv);
    }

    /**
     * Parses an architecture name (without a pretrained tag): a registered architecture as the registry declares
     * it, and other widths built from the three-digit suffix, as timm's generator functions would build them.
     * Deeper ({@code d}) models exist only as registered (their depth is not in the name).
     *
     * @throws MobileNetException when the name is not a MobileNet architecture
     */
    public static ModelSpec parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Registry.registered(n).orElseGet(() -> parseWidth(n, name));
    }

    /** The generator choices a name spells out, without the registry (other widths). */
    static ModelSpec parseWidth(String n, String name) {
        Matcher m = V1.matcher(n);
        if (m.matches()) {
            ModelSpec s = v1(width(m.group(1), name));
            return m.group(2).isEmpty() ? s : s.withHeadConv();
        }
        m = V2.matcher(n);
        if (m.matches()) {
            return v2(width(m.group(1), name));
        }
        m = V3.matcher(n);
        if (m.matches()) {
            ModelSpec s = v3(m.group(2).equals("large") ? V3Variant.LARGE : V3Variant.SMALL, width(m.group(4), name));
            s = m.group(1) != null ? s.withTf() : s;
            return m.group(3) != null ? s.withMinimal() : s;
        }
        throw new MobileNetException(Registry.unknownModelMessage(name));
    }

    private static double width(String digits, String name) {
        int v = Integer.parseInt(digits);
        if (v == 0) {
            throw new MobileNetException("width multiplier must be positive in '" + name + "'");
        }
        return v / 100.0;
    }
}
