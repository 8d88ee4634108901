#!/usr/bin/python3
"""Broken-file corpus: the project's decoder against Pillow 9.4 on damaged PNG, JPEG, GIF, BMP and WebP files.

A few source pictures are written in each format (small and over 64 KiB, photo-like and flat, palette and
true colour, lossy and lossless WebP with and without alpha, an animated GIF and WebP), then damaged:
truncated at many offsets (every byte of the first 64, then spread over the file, and around 64 KiB, Pillow's
read block) and with single bytes flipped or set at seeded random positions. Each damaged file is decoded by
Pillow (`Image.open(f).convert('RGB')`) and by the project (tools/DecodeDigest.java, one JVM, an hour at
most: a hang fails the run); the result is the same pixels, both refuse, or a disagreement, which is listed.

Run from the repository root after `mvn -pl image -am install -DskipTests`:
    /usr/bin/python3 tools/compare_broken.py [--work /tmp/mobilenet_broken] [--flips 60] [--seed 1]
Nothing is written to the repository.
"""
import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_corpus import java_digests, report, synthetic_photo  # noqa: E402


def sources(work):
    photo = synthetic_photo(317, 229)
    big = synthetic_photo(640, 480)
    flat = Image.fromarray((np.indices((90, 70)).sum(axis=0) % 7 * 36).astype(np.uint8)).convert('RGB')
    out = {}

    def save(name, im, fmt, **kw):
        p = os.path.join(work, name)
        im.save(p, fmt, **kw)
        out[name] = p

    save('photo.png', photo, 'PNG')
    save('photo_i.png', photo.convert('P'), 'PNG')
    save('big.png', big, 'PNG')
    save('photo.jpg', photo, 'JPEG', quality=85)
    save('photo_p.jpg', photo, 'JPEG', progressive=True, quality=70)
    save('big.jpg', big, 'JPEG', quality=90)
    save('photo.gif', photo, 'GIF')
    save('big.gif', big, 'GIF')
    frames = [flat, flat.rotate(90, expand=False), flat.transpose(Image.FLIP_LEFT_RIGHT)]
    save('anim.gif', frames[0], 'GIF', save_all=True, append_images=frames[1:], duration=50)
    save('photo24.bmp', photo, 'BMP')
    save('photo8.bmp', photo.convert('P'), 'BMP')
    save('big8.bmp', big.convert('P'), 'BMP')
    save('flat1.bmp', flat.convert('1'), 'BMP')
    rle = os.path.join(work, 'rle8.bmp')
    if subprocess.run(['convert', out['photo8.bmp'], '-compress', 'RLE', 'BMP3:' + rle],
                      capture_output=True).returncode == 0:
        out['rle8.bmp'] = rle
    save('lossy.webp', photo, 'WEBP', quality=75)
    save('big.webp', big, 'WEBP', quality=80)
    save('lossless.webp', photo, 'WEBP', lossless=True)
    rgba = photo.convert('RGBA')
    rgba.putalpha(Image.fromarray((np.indices((229, 317))[1] % 256).astype(np.uint8)))
    save('alpha.webp', rgba, 'WEBP', quality=70)
    save('anim.webp', frames[0], 'WEBP', save_all=True, append_images=frames[1:], duration=50, quality=80)
    return out


def damaged(work, srcs, flips, rng):
    out = []
    for name, path in srcs.items():
        with open(path, 'rb') as f:
            data = f.read()
        n = len(data)
        cuts = set(range(0, min(n, 64))) | {n * k // 40 for k in range(1, 40)} | {n - 1, n - 2, n - 12}
        if n > 65536 + 64:
            cuts |= set(range(65536 - 8, 65536 + 9)) | {65536 * 2}
        for c in sorted(x for x in cuts if 0 <= x < n):
            p = os.path.join(work, f'{name}.cut{c}')
            with open(p, 'wb') as f:
                f.write(data[:c])
            out.append(p)
        for k in range(flips):
            b = bytearray(data)
            pos = rng.randrange(n) if k % 2 else rng.randrange(min(n, 256))
            b[pos] = rng.randrange(256) if k % 3 else b[pos] ^ (1 << rng.randrange(8))
            p = os.path.join(work, f'{name}.flip{k}_{pos}')
            with open(p, 'wb') as f:
                f.write(bytes(b))
            out.append(p)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--work', default='/tmp/mobilenet_broken')
    ap.add_argument('--flips', type=int, default=60)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    srcs = sources(args.work)
    paths = damaged(args.work, srcs, args.flips, random.Random(args.seed))
    seen = {}
    for p in paths:
        with open(p, 'rb') as f:
            seen.setdefault(hashlib.sha256(f.read()).hexdigest(), p)
    paths = sorted(seen.values())
    ours = java_digests(paths, args.work)
    print(f'{len(paths)} distinct damaged files from {len(srcs)} sources')
    odd = report(paths, ours, lambda p: os.path.basename(p).split('.cut')[0].split('.flip')[0], width=14)
    return 1 if odd else 0


if __name__ == '__main__':
    sys.exit(main())
