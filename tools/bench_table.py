#!/usr/bin/env python3
"""Markdown table from tools/bench.sh's JSON files: per model and case, Java and ONNX Runtime ms per image on
JDK 17 and JDK 25, the ratio, and the Java engine's MAC rate as a fraction of one core's FMA peak times threads."""
import glob
import json
import os
import re
import sys

# One core of this machine: 2 FMA pipes x 8 fp32 lanes (AVX2; the VM hides AVX-512) x the clock in GHz.
PEAK_GMACS_PER_CORE = float(os.environ.get("PEAK_GMACS_PER_CORE", 2 * 8 * 2.45))


def main(folder):
    cells = {}
    for f in sorted(glob.glob(os.path.join(folder, "jdk*-*.json"))):
        m = re.match(r"jdk(\d+)-(.+)-b(\d+)-t(\d+)\.json$", os.path.basename(f))
        if not m:
            continue
        jdk, model, b, t = m.group(1), m.group(2), int(m.group(3)), int(m.group(4))
        cells[(model, b, t, jdk)] = json.load(open(f))
    keys = sorted({(k[0], k[1], k[2]) for k in cells}, key=lambda k: (k[0], -k[2], k[1]))
    print("| model | batch | threads | JDK 17: Java / ORT ms (ratio) | JDK 25: Java / ORT ms (ratio) | Java % of FMA peak (JDK 25) |")
    print("|---|---|---|---|---|---|")
    for model, b, t in keys:
        row = [model, str(b), str(t)]
        for jdk in ("17", "25"):
            d = cells.get((model, b, t, jdk))
            if d is None:
                row.append("n/a")
                continue
            java, ort = d["engines"][0], d["engines"][1]
            row.append("%.2f / %.2f (%.2fx)" % (java["ms_per_image"], ort["ms_per_image"], d["ratio"]))
        d = cells.get((model, b, t, "25")) or cells.get((model, b, t, "17"))
        peak = PEAK_GMACS_PER_CORE * t
        row.append("%.0f%%" % (100 * d["engines"][0]["gmacs_per_second"] / peak) if d else "n/a")
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench")
