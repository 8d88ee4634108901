package dev.mobilenet.spark;

import java.util.ArrayList;
import java.util.List;

/** Interim: predict's softmax and top-k, until the classify module's Predictions.topK is on main. */
final class TopK {
    record Entry(int index, String label, double probability) {
    }

    private TopK() {
    }

    static List<Entry> of(float[] logits, int offset, int n, int k, List<String> labels) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logits[offset + i] - max);
            sum += p[i];
        }
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort((a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, n); i++) {
            int c = order.get(i);
            out.add(new Entry(c, c < labels.size() ? labels.get(c) : Integer.toString(c), p[c] / sum));
        }
        return out;
    }
}
