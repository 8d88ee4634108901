#!/usr/bin/env python3
"""Turns tools/bench.sh's JMH JSON files into the markdown table of docs/PERFORMANCE.md."""
import glob
import json
import os
import sys


def load(path):
    rows = {}
    for r in json.load(open(path)):
        p = r['params']
        m = r['primaryMetric']
        rows[(p['model'], int(p['size']))] = (m['score'], m['scoreError'])
    return rows


def main(folder):
    runs = {}
    for f in sorted(glob.glob(os.path.join(folder, '*.json'))):
        runs[os.path.basename(f)[:-5]] = load(f)
    models = sorted({k for r in runs.values() for k in r})
    print('| model | input | JDK | Java 256-bit (ms) | Java 512-bit (ms) | ONNX Runtime (ms) | Java / ORT (best width) |')
    print('|---|---|---|---|---|---|---|')
    for model, size in models:
        for jdk in ('17', '25'):
            j256 = runs.get('jdk%s-java-256' % jdk, {}).get((model, size))
            j512 = runs.get('jdk%s-java-512' % jdk, {}).get((model, size))
            ort = runs.get('jdk%s-onnxruntime' % jdk, {}).get((model, size))
            if not (j256 or j512 or ort):
                continue
            fmt = lambda v: '%.2f ± %.2f' % v if v else '-'
            best = min([v[0] for v in (j256, j512) if v] or [float('nan')])
            ratio = '%.2f×' % (best / ort[0]) if ort else '-'
            print('| %s | %d | %s | %s | %s | %s | %s |' % (model, size, jdk, fmt(j256), fmt(j512), fmt(ort), ratio))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'target/bench')
