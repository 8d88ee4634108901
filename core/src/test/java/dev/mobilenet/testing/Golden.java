package dev.mobilenet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;

/** Tensor comparison in the style of llm.c's check_tensor: on failure, show the first values and the worst one. */
public final class Golden {
    private Golden() {
    }

    /** Relative error as the project defines it: max |actual - expected| / max |expected|. */
    public static double relativeError(float[] expected, float[] actual) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs((double) expected[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    public static void assertClose(String what, float[] expected, float[] actual, double rtol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        double rel = relativeError(expected, actual);
        boolean finite = true;
        for (float v : actual) {
            finite &= Float.isFinite(v);
        }
        if (rel <= rtol && finite) {
            return;
        }
        StringBuilder sb = new StringBuilder(what).append(": relative error ")
                .append(String.format(Locale.ROOT, "%.3g", rel)).append(" > ").append(rtol).append('\n');
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > Math.abs(actual[worst] - expected[worst])
                    || !Float.isFinite(actual[i])) {
                worst = i;
            }
        }
        for (int i = 0; i < Math.min(5, expected.length); i++) {
            sb.append(String.format(Locale.ROOT, "  [%d] expected %.6g got %.6g%n", i, expected[i], actual[i]));
        }
        sb.append(String.format(Locale.ROOT, "  worst [%d] expected %.6g got %.6g%n", worst, expected[worst],
                actual[worst]));
        fail(sb.toString());
    }
}
