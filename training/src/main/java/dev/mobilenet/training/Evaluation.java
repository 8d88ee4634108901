package dev.mobilenet.training;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.data.Batch;
import dev.mobilenet.data.DataLoader;
import dev.mobilenet.model.Engine;
import java.util.List;

/**
 * Accuracy of a model on labelled data: top-1, top-5, mean cross-entropy (no smoothing) and per-class top-1.
 *
 * @param correct per class, images whose top-1 was right
 * @param total   per class, images seen
 */
public record Evaluation(int images, double loss, double top1, double top5, int[] correct, int[] total) {
    /** Runs {@code engine} over one pass of {@code loader} (dataset order). */
    public static Evaluation of(Engine engine, DataLoader loader) {
        int classes = engine.numClasses();
        if (classes != loader.source().numClasses()) {
            throw new MobileNetException("the model has " + classes + " classes but the data has "
                    + loader.source().numClasses());
        }
        int[] correct = new int[classes];
        int[] total = new int[classes];
        int images = 0;
        int hit1 = 0;
        int hit5 = 0;
        double lossSum = 0;
        float[] logits = new float[0];
        try (DataLoader.Epoch epoch = loader.epoch(0)) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                if (logits.length < b.n() * classes) {
                    logits = new float[b.n() * classes];
                }
                engine.logits(b.images(), b.n(), b.h(), b.w(), logits);
                for (int i = 0; i < b.n(); i++) {
                    int label = b.labels()[i];
                    int off = i * classes;
                    double max = Double.NEGATIVE_INFINITY;
                    boolean finite = true;
                    for (int c = 0; c < classes; c++) {
                        max = Math.max(max, logits[off + c]);
                        finite &= Float.isFinite(logits[off + c]);
                    }
                    double sum = 0;
                    int above = 0;
                    float mine = logits[off + label];
                    for (int c = 0; c < classes; c++) {
                        sum += Math.exp(logits[off + c] - max);
                        // Rank as torch's topk: strictly larger logits, and equal ones at lower indices, come first.
                        if (logits[off + c] > mine || (logits[off + c] == mine && c < label)) {
                            above++;
                        }
                    }
                    total[label]++;
                    images++;
                    if (!finite) {
                        // A non-finite logit is never a correct prediction (NaN compares false with everything, so
                        // ranking alone would call it first); the loss becomes NaN and stops a training run.
                        lossSum = Double.NaN;
                        continue;
                    }
                    lossSum += Math.log(sum) + max - mine;
                    if (above == 0) {
                        hit1++;
                        correct[label]++;
                    }
                    if (above < 5) {
                        hit5++;
                    }
                }
            }
        }
        if (images == 0) {
            throw new MobileNetException("no images to evaluate");
        }
        return new Evaluation(images, lossSum / images, (double) hit1 / images, (double) hit5 / images, correct,
                total);
    }

    /** Per-class rows for a report: name, correct, total, accuracy. */
    public record ClassRow(String name, int correct, int total, double accuracy) {
    }

    public List<ClassRow> perClass(List<String> names) {
        java.util.ArrayList<ClassRow> rows = new java.util.ArrayList<>();
        for (int c = 0; c < total.length; c++) {
            String name = c < names.size() ? names.get(c) : Integer.toString(c);
            rows.add(new ClassRow(name, correct[c], total[c], total[c] == 0 ? Double.NaN
                    : (double) correct[c] / total[c]));
        }
        return rows;
    }
}
