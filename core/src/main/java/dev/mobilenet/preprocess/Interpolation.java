package dev.mobilenet.preprocess;

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
}
