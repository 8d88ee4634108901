package dev.mobilenet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.model.Session;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** `bench --layers`: {@link Session#profile}'s step times summed by layer kind, per image. */
record LayerProfile(List<Row> rows) {
    /** One layer kind: how many steps, ms per image, share of the total, GMAC/s. */
    record Row(String kind, int steps, double ms, double share, double gmacs) {
    }

    static LayerProfile of(List<Session.StepTime> steps, int calls) {
        Map<String, long[]> byKind = new LinkedHashMap<>();
        long total = 0;
        for (Session.StepTime t : steps) {
            long[] a = byKind.computeIfAbsent(t.kind(), k -> new long[3]);
            a[0]++;
            a[1] += t.nanos();
            a[2] += t.macs();
            total += t.nanos();
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byKind.entrySet()) {
            long[] a = e.getValue();
            double ms = a[1] / 1e6 / calls;
            rows.add(new Row(e.getKey(), (int) a[0], ms, total == 0 ? 0 : (double) a[1] / total,
                    a[1] == 0 ? 0 : a[2] * (double) calls / a[1]));
        }
        rows.sort((x, y) -> Double.compare(y.ms, x.ms));
        return new LayerProfile(rows);
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%-12s %6s %10s %8s %10s%n", "layer kind", "steps", "ms/image", "share", "GMAC/s");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-12s %6d %10.3f %7.1f%% %10.1f%n", r.kind, r.steps, r.ms, 100 * r.share,
                    r.gmacs);
        }
    }

    void put(ArrayNode a) {
        for (Row r : rows) {
            ObjectNode o = a.addObject();
            o.put("kind", r.kind);
            o.put("steps", r.steps);
            o.put("ms_per_image", Math.round(r.ms * 1e4) / 1e4);
            o.put("share", Math.round(r.share * 1e4) / 1e4);
            o.put("gmacs_per_second", Math.round(r.gmacs * 100) / 100.0);
        }
    }
}
