#!/usr/bin/python3
"""The 4000x3000 picture pair of docs/PERFORMANCE.md's WebP section: a synthetic photo-like image (smooth colour
fields, 60 discs, Gaussian noise sigma 6) saved as PNG and as Pillow JPEG quality 50; make the WebP with
`cwebp -q 75 photo.png -o photo.webp` (about the JPEG's size). Usage: make_webp_bench_picture.py OUT_DIR"""
import sys

import numpy as np
from PIL import Image, ImageDraw

out = sys.argv[1]
rng = np.random.default_rng(12)
W, H = 4000, 3000
yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
img = np.zeros((H, W, 3), np.float32)
for c in range(3):
    img[..., c] = 128 + 60 * np.sin(xx / (300 + 70 * c) + c) * np.cos(yy / (250 + 40 * c))
im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
d = ImageDraw.Draw(im)
for i in range(60):
    x, y, r = rng.integers(0, W), rng.integers(0, H), rng.integers(40, 400)
    d.ellipse([x - r, y - r, x + r, y + r], fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
a = np.asarray(im).astype(np.float32) + rng.normal(0, 6, (H, W, 3))
im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
im.save(out + '/photo.png')
im.save(out + '/photo.jpg', quality=50)
