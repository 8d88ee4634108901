#!/usr/bin/env python3
"""Expected `mobilenet predict` / `embed` results, made by timm itself: a model with the project's generated weights
(tools/FIXTURES.md), timm's eval transform from the tag's pretrained config on Pillow, the forward pass, softmax and
the top classes; and the pre-logits embedding. Writes classify/src/test/resources/predict/expected.json.

Run: PYTHONPATH=/tmp/timm /usr/bin/python3 tools/make_predict_fixtures.py
"""
import json
import os
import sys

import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (the shared weight generator)
import timm  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = os.path.join(ROOT, 'image', 'src', 'test', 'resources', 'images')
OUT = os.path.join(ROOT, 'classify', 'src', 'test', 'resources', 'predict', 'expected.json')

CASES = [
    # (arch.tag, weight seed, images)
    ('mobilenetv3_small_100.lamb_in1k', 11, ['photo_640x480.jpg', 'src_255x171.png']),
    ('tf_mobilenetv3_small_minimal_100.in1k', 12, ['photo_640x480.jpg', 'photo_480x640.jpg']),
]


def main():
    torch.set_grad_enabled(False)
    out = []
    for name, seed, images in CASES:
        model = timm.create_model(name, pretrained=False)
        model.load_state_dict(mf.generated_state_dict(model, seed))
        model.eval()
        cfg = timm.data.resolve_data_config({}, model=model)
        transform = timm.data.create_transform(**cfg)
        for image in images:
            with Image.open(os.path.join(IMAGES, image)) as im:
                x = transform(im.convert('RGB')).unsqueeze(0)
            feats = model.forward_features(x)
            pre = model.forward_head(feats, pre_logits=True)[0]
            logits = model.forward_head(feats)[0]
            probs = logits.softmax(-1)
            top = probs.topk(10)
            out.append({
                'model': name, 'seed': seed, 'image': image,
                'top_index': [int(i) for i in top.indices],
                'top_probability': [float(p) for p in top.values],
                'pre_logits_head': [float(v) for v in pre[:16]],
                'pre_logits_sum': float(pre.double().sum()),
                'pre_logits_dim': int(pre.shape[0]),
            })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT + '.tmp', 'w') as f:
        json.dump(out, f, indent=1)
    os.replace(OUT + '.tmp', OUT)
    for c in out:
        print(c['model'], c['image'], c['top_index'][:5], ['%.6f' % p for p in c['top_probability'][:5]])


if __name__ == '__main__':
    main()
