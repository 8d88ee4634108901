#!/usr/bin/python3
"""The 4000x3000 pictures of docs/PERFORMANCE.md's WebP section, saved as PNG and as Pillow JPEGs.

Usage: make_webp_bench_picture.py OUT_DIR [detail]

Without 'detail': photo.png and photo.jpg (quality 50), a synthetic photo-like image (smooth colour fields, 60
discs, Gaussian noise sigma 6) of low bit rate; make the WebP with `cwebp -q 75 photo.png -o photo.webp` (about
the JPEG's size, 0.28 bits per pixel).

With 'detail': detail.png, detail_q50.jpg and detail_q88.jpg, a picture with detail at every scale (six octaves
of value noise, 3,000 discs, rectangles and lines, a slight blur and noise sigma 5); make the WebPs with
`cwebp -q 75 detail.png -o detail_w75.webp` (about detail_q50.jpg's size) and `cwebp -q 90 detail.png -o
detail_w90.webp` (about detail_q88.jpg's size, 2 bits per pixel)."""
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

W, H = 4000, 3000


def photo(out):
    rng = np.random.default_rng(12)
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


def detail(out):
    rng = np.random.default_rng(7)
    img = np.zeros((H, W, 3), np.float32)
    for cells, amp in [(8, 70), (32, 40), (128, 25), (512, 16), (1500, 12), (2000, 10)]:
        g = rng.normal(0, 1, (cells * 3 // 4 + 2, cells + 2, 3)).astype(np.float32)
        for c in range(3):
            v = g[..., c]
            ch = Image.fromarray(((v - v.min()) / (np.ptp(v) + 1e-6) * 255).astype(np.uint8))
            img[..., c] += amp * 2 * (np.asarray(ch.resize((W, H), Image.BILINEAR)).astype(np.float32) / 255 - 0.5)
    img += 128
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    for i in range(3000):
        x, y = int(rng.integers(0, W)), int(rng.integers(0, H))
        w, h = int(rng.integers(5, 120)), int(rng.integers(5, 120))
        col = tuple(int(v) for v in rng.integers(0, 256, 3))
        if i % 3 == 0:
            d.ellipse([x, y, x + w, y + h], fill=col)
        elif i % 3 == 1:
            d.rectangle([x, y, x + w, y + h], outline=col, width=int(rng.integers(1, 4)))
        else:
            d.line([x, y, x + int(rng.integers(-200, 200)), y + int(rng.integers(-200, 200))], fill=col,
                   width=int(rng.integers(1, 5)))
    im = im.filter(ImageFilter.GaussianBlur(0.5))
    a = np.asarray(im).astype(np.float32) + rng.normal(0, 5, (H, W, 3))
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    im.save(out + '/detail.png')
    im.save(out + '/detail_q50.jpg', quality=50)
    im.save(out + '/detail_q88.jpg', quality=88)


if __name__ == '__main__':
    if len(sys.argv) > 2 and sys.argv[2] == 'detail':
        detail(sys.argv[1])
    else:
        photo(sys.argv[1])
