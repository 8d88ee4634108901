package dev.mobilenet.training.engine;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.classify.Predictions;

/**
 * Cross-entropy losses, mean over the batch, with their gradient with respect to the logits. Hard labels use label
 * smoothing as torch's {@code CrossEntropyLoss(label_smoothing=s)} and timm's {@code LabelSmoothingCrossEntropy}
 * (target (1 - s) on the label plus s / C everywhere); soft targets as timm's {@code SoftTargetCrossEntropy}.
 */
public final class Loss {
    private Loss() {
    }

    /**
     * Loss of logits [n][c] against labels, writing dLoss/dLogits into {@code grad} (may be null).
     *
     * @return the mean loss
     */
    public static double crossEntropy(float[] grad, float[] logits, int n, int c, int[] labels, double smoothing) {
        if (smoothing < 0 || smoothing >= 1) {
            throw new MobileNetException("label smoothing must be in [0, 1), got " + smoothing);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= c) {
                throw new MobileNetException("label " + y + " of sample " + i + " is outside [0, " + c + ")");
            }
            int off = i * c;
            double lse = Predictions.logSumExp(logits, off, c);
            double sumNeg = 0;
            for (int j = 0; j < c; j++) {
                sumNeg += lse - logits[off + j];
            }
            total += (1 - smoothing) * (lse - logits[off + y]) + smoothing * sumNeg / c;
            if (grad != null) {
                for (int j = 0; j < c; j++) {
                    double t = smoothing / c + (j == y ? 1 - smoothing : 0);
                    grad[off + j] = (float) ((Math.exp(logits[off + j] - lse) - t) / n);
                }
            }
        }
        return total / n;
    }

    /** Soft-target cross-entropy: mean over samples of sum_j -t[j] log softmax(z)[j]; targets [n][c]. */
    public static double softTarget(float[] grad, float[] logits, int n, int c, float[] targets) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int off = i * c;
            double lse = Predictions.logSumExp(logits, off, c);
            double tsum = 0;
            for (int j = 0; j < c; j++) {
                total += targets[off + j] * (lse - logits[off + j]);
                tsum += targets[off + j];
            }
            if (grad != null) {
                for (int j = 0; j < c; j++) {
                    grad[off + j] = (float) ((tsum * Math.exp(logits[off + j] - lse) - targets[off + j]) / n);
                }
            }
        }
        return total / n;
    }
}
