package dev.mobilenet.serve;

import java.util.ArrayList;
import java.util.List;

/** Softmax and the k most probable classes, in predict's order of operations. */
final class TopK {
    /** One ranked class. */
    record Top(int index, String label, double probability) {
    }

    private TopK() {
    }

    static List<Top> of(float[] logits, int offset, int classes, int k, List<String> labels) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < classes; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double[] p = new double[classes];
        double sum = 0;
        for (int i = 0; i < classes; i++) {
            p[i] = Math.exp(logits[offset + i] - max);
            sum += p[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            order.add(i);
        }
        order.sort((a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        List<Top> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, classes); i++) {
            int c = order.get(i);
            out.add(new Top(c, c < labels.size() ? labels.get(c) : Integer.toString(c), p[c] / sum));
        }
        return out;
    }
}
