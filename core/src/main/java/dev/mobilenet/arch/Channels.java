package dev.mobilenet.arch;

/** timm's channel rounding rules, reproduced exactly (including Python's float-to-int truncation). */
public final class Channels {
    private Channels() {
    }

    /** timm {@code make_divisible(v, divisor=8, min_value=None, round_limit=0.9)}. */
    public static int makeDivisible(double v) {
        return makeDivisible(v, 8, 0.9);
    }

    public static int makeDivisible(double v, int divisor, double roundLimit) {
        int newV = Math.max(divisor, ((int) (v + divisor / 2.0)) / divisor * divisor);
        if (newV < roundLimit * v) {
            newV += divisor;
        }
        return newV;
    }

    /** timm {@code round_channels(channels, multiplier)}: scale by the width multiplier, then make divisible by 8. */
    public static int roundChannels(int channels, double multiplier) {
        if (multiplier == 0.0) {
            return channels;
        }
        return makeDivisible(channels * multiplier);
    }

    /** Python's built-in round(): half to even. */
    public static int pythonRound(double v) {
        return (int) Math.rint(v);
    }
}
