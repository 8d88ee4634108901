package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;
import java.util.Locale;

/** Pillow's resampling filters, named as timm names them ({@code pretrained_cfg['interpolation']}). */
public enum Interpolation {
    NEAREST(0),
    BOX(0.5),
    BILINEAR(1.0),
    HAMMING(1.0),
    BICUBIC(2.0),
    LANCZOS(3.0);

    private final double support;

    Interpolation(double support) {
        this.support = support;
    }

    /** Half-width of the filter at scale 1 (Pillow's {@code filter.support}); 0 for NEAREST, which is not a filter. */
    public double support() {
        return support;
    }

    /** timm's name: nearest, box, bilinear, hamming, bicubic, lanczos. */
    public String timmName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses timm's name (case-insensitive; {@code antialias} is Pillow's old name of lanczos). */
    public static Interpolation fromTimm(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("antialias")) {
            return LANCZOS;
        }
        for (Interpolation i : values()) {
            if (i.timmName().equals(n)) {
                return i;
            }
        }
        throw new MobileNetException("unknown interpolation '" + name
                + "' (expected nearest, box, bilinear, hamming, bicubic or lanczos)");
    }

    /** The filter's weight at distance {@code x} (in input pixels at scale 1), as Pillow's Resample.c defines it. */
    double weight(double x) {
        switch (this) {
            case BOX:
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR: {
                double ax = Math.abs(x);
                return ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case HAMMING: {
                double ax = Math.abs(x);
                if (ax == 0.0) {
                    return 1.0;
                }
                if (ax >= 1.0) {
                    return 0.0;
                }
                double px = ax * Math.PI;
                return StrictMath.sin(px) / px * (0.54f + 0.46f * StrictMath.cos(px));
            }
            case BICUBIC: {
                final double a = -0.5;
                double ax = Math.abs(x);
                if (ax < 1.0) {
                    return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
                }
                if (ax < 2.0) {
                    return (((ax - 5) * ax + 8) * ax - 4) * a;
                }
                return 0.0;
            }
            case LANCZOS:
                return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
            default:
                throw new IllegalStateException("NEAREST has no filter weights");
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        return StrictMath.sin(px) / px;
    }
}
