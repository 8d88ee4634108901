#!/usr/bin/env python3
"""Checks that timm reads a training run's folder as this project writes it.

    PYTHONPATH=/path/to/timm_src /usr/bin/python3 tools/check_run_config.py RUN_DIR [X.npy Y.npy]

RUN_DIR holds config.json (TimmConfig.write, as `mobilenet train` writes it) and best.safetensors. timm's
`create_model('local-dir:RUN_DIR')` must build the architecture with the run's class count and take the run's
preprocessing as its data config and its label names; best.safetensors (the first *.safetensors in name order,
which timm's local-dir loading picks) loads strictly. The weights are read here, so the `safetensors` package is not
needed. With X.npy and Y.npy (a float32 NCHW batch and the Java engine's
logits for it) the logits must agree within 1e-4. Prints one line and exits 0, or names the mismatch and exits 1.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import timm
import torch
from timm.data import resolve_data_config


def read_safetensors(path):
    buf = Path(path).read_bytes()
    (n,) = struct.unpack('<Q', buf[:8])
    header = json.loads(buf[8:8 + n].decode('utf-8'))
    header.pop('__metadata__', None)
    data = buf[8 + n:]
    types = {'F32': '<f4', 'F16': '<f2', 'I64': '<i8'}
    return {k: torch.from_numpy(np.frombuffer(data[d['data_offsets'][0]:d['data_offsets'][1]],
                                              dtype=types[d['dtype']]).reshape(d['shape']).copy())
            for k, d in header.items()}


def main():
    run = Path(sys.argv[1])
    cfg = json.loads((run / 'config.json').read_text())
    pre = cfg['pretrained_cfg']
    model = timm.create_model('local-dir:' + str(run), pretrained=False)
    model.load_state_dict(read_safetensors(sorted(run.glob('*.safetensors'))[0]), strict=True)
    model.eval()
    problems = []
    if model.num_classes != cfg['num_classes']:
        problems.append(f'num_classes {model.num_classes} != {cfg["num_classes"]}')
    data = resolve_data_config({}, model=model)
    for key in ('input_size', 'interpolation', 'crop_pct', 'crop_mode'):
        got = tuple(data[key]) if key == 'input_size' else data.get(key)
        want = tuple(pre[key]) if key == 'input_size' else pre[key]
        if got != want:
            problems.append(f'{key} {data.get(key)} != {want}')
    for key in ('mean', 'std'):
        if not np.allclose(np.array(data[key]), np.array(pre[key]), rtol=0, atol=1e-7):
            problems.append(f'{key} {data[key]} != {pre[key]}')
    labels = model.pretrained_cfg.get('label_names')
    if 'label_names' in cfg and list(labels or []) != cfg['label_names']:
        problems.append(f'label_names {labels} != {cfg["label_names"]}')
    if len(sys.argv) > 3:
        x = torch.from_numpy(np.load(sys.argv[2]))
        want = np.load(sys.argv[3])
        with torch.no_grad():
            got = model(x).numpy()
        err = float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-3)))
        if err > 1e-4:
            problems.append(f'logits differ by {err:.2e} relative')
    if problems:
        print('mismatch: ' + '; '.join(problems))
        sys.exit(1)
    print(f'timm reads {run}: {cfg["architecture"]}, {model.num_classes} classes, {data["input_size"]}, '
          f'{data["interpolation"]}, crop {data["crop_pct"]} {data["crop_mode"]}')


if __name__ == '__main__':
    main()
