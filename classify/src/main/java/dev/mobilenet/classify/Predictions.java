package dev.mobilenet.classify;

import dev.mobilenet.MobileNetException;
import java.util.ArrayList;
import java.util.List;

/** Logits to ranked classes, the same numbers everywhere: predict, the classifier, the server and Spark. */
public final class Predictions {
    private Predictions() {
    }

    /**
     * The {@code k} most probable classes of one logits row, most probable first; ties go to the lower index. The
     * softmax is computed in double, max-subtracted, summed in class order.
     *
     * @param logits     holds the row at {@code offset}
     * @param numClasses the row's length
     * @param labels     class names in class order, or empty for indices as labels
     */
    public static List<Top> topK(float[] logits, int offset, int numClasses, int k, List<String> labels) {
        if (k < 1) {
            throw new MobileNetException("top-k must be at least 1, got " + k);
        }
        if (numClasses < 1 || offset < 0 || offset > logits.length - numClasses) {
            throw new MobileNetException("a row of " + numClasses + " logits at " + offset + " does not fit in "
                    + logits.length + " values");
        }
        double max = max(logits, offset, numClasses);
        double sum = sumExp(logits, offset, numClasses, max);
        int n = Math.min(k, numClasses);
        int[] best = new int[n];
        double[] bestP = new double[n];
        int filled = 0;
        for (int i = 0; i < numClasses; i++) {
            double p = Math.exp(logits[offset + i] - max);
            if (filled == n && !(p > bestP[n - 1])) {
                continue;
            }
            int j = filled < n ? filled++ : n - 1;
            while (j > 0 && p > bestP[j - 1]) {
                best[j] = best[j - 1];
                bestP[j] = bestP[j - 1];
                j--;
            }
            best[j] = i;
            bestP[j] = p;
        }
        List<Top> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int c = best[r];
            out.add(new Top(c, c < labels.size() ? labels.get(c) : Integer.toString(c), bestP[r] / sum));
        }
        return out;
    }

    /**
     * {@code log(sum(exp(x[off..off+n))))}, the log of the softmax's denominator, computed as {@link #topK} computes
     * the softmax: in double, max-subtracted, summed in class order.
     */
    public static double logSumExp(float[] x, int off, int n) {
        double max = max(x, off, n);
        return max + Math.log(sumExp(x, off, n, max));
    }

    private static double max(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        return max;
    }

    private static double sumExp(float[] x, int off, int n, double max) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[off + i] - max);
        }
        return sum;
    }
}
