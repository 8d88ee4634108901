package dev.mobilenet.arch;

import dev.mobilenet.kernels.Activation;

/**
 * One row of an architecture table: {@code repeats} blocks of one kind, as written in the papers and in timm's
 * block strings ({@code ir_r2_k3_s1_e6_c80}). Channels are the paper's (width multiplier 1.0); the builder
 * applies the width and depth multipliers.
 *
 * @param expansion expansion ratio for IR blocks (1 elsewhere)
 * @param seRatio   squeeze-excite ratio relative to the block's mid channels, 0 for none
 * @param act       the row's activation, or null for the model default
 * @param noskip    true to force no residual connection
 */
public record BlockRow(BlockType type, int repeats, int kernel, int stride, double expansion, int channels,
                       double seRatio, Activation act, boolean noskip) {

    public static BlockRow ds(int repeats, int kernel, int stride, int channels) {
        return new BlockRow(BlockType.DS, repeats, kernel, stride, 1.0, channels, 0.0, null, false);
    }

    public static BlockRow dsa(int repeats, int kernel, int stride, int channels) {
        return new BlockRow(BlockType.DSA, repeats, kernel, stride, 1.0, channels, 0.0, null, true);
    }

    public static BlockRow ir(int repeats, int kernel, int stride, double expansion, int channels) {
        return new BlockRow(BlockType.IR, repeats, kernel, stride, expansion, channels, 0.0, null, false);
    }

    public static BlockRow cn(int repeats, int kernel, int stride, int channels) {
        return new BlockRow(BlockType.CN, repeats, kernel, stride, 1.0, channels, 0.0, null, false);
    }

    /** Adds squeeze-and-excitation with the given ratio. */
    public BlockRow se(double ratio) {
        return new BlockRow(type, repeats, kernel, stride, expansion, channels, ratio, act, noskip);
    }

    /** Uses ReLU instead of the model's default activation (timm's {@code _nre}). */
    public BlockRow relu() {
        return new BlockRow(type, repeats, kernel, stride, expansion, channels, seRatio, Activation.RELU, noskip);
    }

    /** Forces no residual connection (timm's {@code _noskip}). */
    public BlockRow noSkip() {
        return new BlockRow(type, repeats, kernel, stride, expansion, channels, seRatio, act, true);
    }

    /** The row in a minimalistic model: no SE, the model's activation (ReLU there), kernels of at most 3. */
    public BlockRow minimal() {
        return new BlockRow(type, repeats, Math.min(kernel, 3), stride, expansion, channels, 0.0, null, noskip);
    }

    /** The row in timm's block-string notation, e.g. {@code ir_r3_k5_s2_e3_c40_se0.25_nre}. */
    public String blockString() {
        StringBuilder sb = new StringBuilder(type.code());
        sb.append("_r").append(repeats).append("_k").append(kernel).append("_s").append(stride);
        if (type == BlockType.IR) {
            sb.append("_e").append(trim(expansion));
        }
        sb.append("_c").append(channels);
        if (seRatio > 0) {
            sb.append("_se").append(trim(seRatio));
        }
        if (act == Activation.RELU) {
            sb.append("_nre");
        }
        if (noskip && type != BlockType.DSA) {
            sb.append("_noskip");
        }
        return sb.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
