package dev.mobilenet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.preprocess.Interpolation;
import dev.mobilenet.image.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Every Pillow op of the train transforms against Pillow 9.4's output with fixed parameters
 * ({@code tools/make_augment_fixtures.py}); all must be exact.
 */
class PilOpsTest {
    static final int[] FILL = {124, 116, 104};
    private static final ImageDecoder DECODER = new ImageDecoder();

    static RgbImage load(String name) throws IOException {
        try (InputStream in = PilOpsTest.class.getResourceAsStream("/augment/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + name);
            }
            return DECODER.decode(in.readAllBytes(), name);
        }
    }

    static RgbImage apply(RgbImage im, String[] t) {
        String op = t[2];
        switch (op) {
            case "autocontrast":
                return PilOps.autoContrast(im);
            case "equalize":
                return PilOps.equalize(im);
            case "invert":
                return PilOps.invert(im);
            case "rotate":
                return PilOps.rotate(im, Double.parseDouble(t[3]), Interpolation.fromTimm(t[4]), FILL);
            case "posterize":
                return PilOps.posterize(im, Integer.parseInt(t[3]));
            case "solarize":
                return PilOps.solarize(im, Integer.parseInt(t[3]));
            case "solarizeadd":
                return PilOps.solarizeAdd(im, Integer.parseInt(t[3]), Integer.parseInt(t[4]));
            case "color":
                return PilOps.color(im, Double.parseDouble(t[3]));
            case "contrast":
                return PilOps.contrast(im, Double.parseDouble(t[3]));
            case "brightness":
                return PilOps.brightness(im, Double.parseDouble(t[3]));
            case "sharpness":
                return PilOps.sharpness(im, Double.parseDouble(t[3]));
            case "shearx":
                return PilOps.shearX(im, Double.parseDouble(t[3]), Interpolation.fromTimm(t[4]), FILL);
            case "sheary":
                return PilOps.shearY(im, Double.parseDouble(t[3]), Interpolation.fromTimm(t[4]), FILL);
            case "translatexrel":
                return PilOps.translateXRel(im, Double.parseDouble(t[3]), Interpolation.fromTimm(t[4]), FILL);
            case "translateyrel":
                return PilOps.translateYRel(im, Double.parseDouble(t[3]), Interpolation.fromTimm(t[4]), FILL);
            case "hflip":
                return PilOps.flipHorizontal(im);
            case "resizedcrop":
                return PilOps.resizedCrop(im, Integer.parseInt(t[3]), Integer.parseInt(t[4]),
                        Integer.parseInt(t[5]), Integer.parseInt(t[6]), Integer.parseInt(t[8]),
                        Integer.parseInt(t[7]), Interpolation.fromTimm(t[9]));
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    @Test
    void everyOpMatchesPillowExactly() throws IOException {
        String text;
        try (InputStream in = PilOpsTest.class.getResourceAsStream("/augment/cases.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] t = line.trim().split(" ");
            RgbImage expected = load(t[0]);
            RgbImage actual = apply(load(t[1]), t);
            cases++;
            if (actual.width() != expected.width() || actual.height() != expected.height()) {
                failures.add(t[0] + ": size " + actual.width() + "x" + actual.height() + " vs "
                        + expected.width() + "x" + expected.height());
                continue;
            }
            int worst = 0;
            int first = -1;
            int count = 0;
            byte[] e = expected.rgb();
            byte[] a = actual.rgb();
            for (int i = 0; i < e.length; i++) {
                int d = Math.abs((e[i] & 0xff) - (a[i] & 0xff));
                if (d > 0) {
                    count++;
                    if (first < 0) {
                        first = i;
                    }
                }
                worst = Math.max(worst, d);
            }
            if (worst > 0) {
                failures.add(String.format(Locale.ROOT, "%s: %d of %d values differ, largest %d, first at %d"
                        + " (expected %d, got %d)", t[0], count, e.length, worst, first, e[first] & 0xff,
                        a[first] & 0xff));
            }
        }
        assertEquals(81, cases, "fixture cases");
        if (!failures.isEmpty()) {
            fail(failures.size() + " cases differ from Pillow:\n" + String.join("\n", failures));
        }
    }
}
