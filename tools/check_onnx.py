#!/usr/bin/env python3
"""Validates exported ONNX files with ONNX's own checker (used by the Java tests).

Usage: check_onnx.py FILE...   (Debian: apt-get install python3-onnx)

For each file: onnx.checker.check_model(full_check=True) (which also runs strict shape inference),
the input is named 'input', no two initializers hold identical content, every initializer is used.
Prints one line per file and exits non-zero on the first failure.
"""
import hashlib
import sys

import onnx
from onnx import numpy_helper


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    graph = model.graph
    assert [i.name for i in graph.input] == ['input'], [i.name for i in graph.input]
    seen = {}
    for t in graph.initializer:
        arr = numpy_helper.to_array(t)
        key = (tuple(arr.shape), hashlib.sha256(arr.tobytes()).hexdigest())
        assert key not in seen, 'initializers %s and %s are identical' % (seen[key], t.name)
        seen[key] = t.name
    used = {i for n in graph.node for i in n.input}
    unused = [t.name for t in graph.initializer if t.name not in used]
    assert not unused, 'unused initializers: %s' % unused[:5]
    outputs = [o.name for o in graph.output]
    print('ok %s opset=%d ir=%d nodes=%d initializers=%d outputs=%s' % (
        path, model.opset_import[0].version, model.ir_version, len(graph.node), len(graph.initializer), outputs))


if __name__ == '__main__':
    for p in sys.argv[1:]:
        try:
            check(p)
        except Exception as e:  # report which file failed, then stop
            print('FAIL %s: %s' % (p, e))
            sys.exit(1)
