#!/usr/bin/python3
"""Compares the project's decoder with Pillow 9.4 on files it was not written against.

The corpus: every JPEG, PNG, GIF and BMP found on this machine outside the repository (icons, documentation
images, test data of installed packages), plus variants written by ImageMagick and Pillow from a few source
images (ImageMagick's built-in rose/wizard/logo/granite, a photo found on the machine, a synthetic photo):
BMP v2/v3/v4/v5, OS/2, 1/4/8/16/24/32-bit, RLE, grey; GIF palettes, interlaced, transparent, animated; JPEG
qualities, subsamplings, progressive, optimised, restart intervals, grey, CMYK; PNG every colour type and depth,
interlaced, palette with transparency. Files are deduplicated by content.

Run from the repository root (after `mvn -pl image -am package -DskipTests` or `install`):
    /usr/bin/python3 tools/compare_corpus.py [--work /tmp/corpus] [--list-only]
Prints counts per format: same pixels, both refuse, pixels differ, only Pillow decodes, only we decode, and the
files in the last three groups. Nothing is written to the repository.
"""
import argparse
import collections
import hashlib
import io
import os
import subprocess
import sys

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTS = {'.jpg': 'JPEG', '.jpeg': 'JPEG', '.png': 'PNG', '.gif': 'GIF', '.bmp': 'BMP', '.dib': 'DIB'}
SCAN = ['/usr/share', '/usr/lib', '/root/.pyenv', '/root/.rustup', '/root/.cache', '/opt', '/etc']


def found_files():
    out = []
    for top in SCAN:
        for d, _, names in os.walk(top):
            if d.startswith(ROOT) or '/work/' in d:
                continue
            for n in names:
                if os.path.splitext(n)[1].lower() in EXTS:
                    p = os.path.join(d, n)
                    if os.path.isfile(p) and not os.path.islink(p) and os.path.getsize(p) < 30_000_000:
                        out.append(p)
    return out


def magick(work, src, name, *opts):
    path = os.path.join(work, name)
    fmt = ''
    if ':' in name.split('.')[0]:
        fmt, name = name.split(':', 1)
        path = os.path.join(work, name)
        fmt += ':'
    r = subprocess.run(['convert', src, *opts, fmt + path], capture_output=True)
    return path if r.returncode == 0 and os.path.exists(path) else None


def synthetic_photo(w=317, h=229):
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.stack([128 + 100 * np.sin(x / 23.0 + y / 41.0), 128 + 90 * np.cos(y / 17.0),
                    128 + 80 * np.sin((x - y) / 31.0)], axis=-1)
    img += rng.normal(0, 9, size=img.shape)
    return Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8))


def generated(work):
    os.makedirs(work, exist_ok=True)
    photo = os.path.join(work, 'src_photo.png')
    synthetic_photo().save(photo)
    sources = {'rose': 'rose:', 'wizard': 'wizard:', 'logo': 'logo:', 'granite': 'granite:', 'photo': photo}
    real = [p for p in found_files() if p.lower().endswith(('.jpg', '.jpeg'))]
    if real:
        sources['real'] = sorted(real)[0]
    out = []
    for tag, src in sources.items():
        variants = [
            (f'BMP3:{tag}_bmp3.bmp',), (f'BMP2:{tag}_bmp2.bmp',), (f'BMP:{tag}_bmp.bmp',),
            (f'BMP3:{tag}_p8.bmp', '-colors', '200', '-type', 'palette'),
            (f'BMP3:{tag}_p4.bmp', '-colors', '16', '-type', 'palette'),
            (f'BMP3:{tag}_rle8.bmp', '-colors', '200', '-type', 'palette', '-compress', 'RLE'),
            (f'BMP3:{tag}_rle4.bmp', '-colors', '12', '-type', 'palette', '-compress', 'RLE'),
            (f'BMP3:{tag}_grey.bmp', '-type', 'grayscale'), (f'BMP3:{tag}_1bit.bmp', '-type', 'bilevel'),
            (f'BMP:{tag}_argb.bmp', '-alpha', 'on', '-channel', 'A', '-evaluate', 'set', '60%'),
            (f'BMP:{tag}_rgb565.bmp', '-define', 'bmp:subtype=RGB565'),
            (f'BMP:{tag}_rgb555.bmp', '-define', 'bmp:subtype=RGB555'),
            (f'BMP:{tag}_argb4444.bmp', '-alpha', 'on', '-define', 'bmp:subtype=ARGB4444'),
            (f'BMP:{tag}_argb1555.bmp', '-alpha', 'on', '-define', 'bmp:subtype=ARGB1555'),
            (f'BMP:{tag}_bmp4.bmp', '-define', 'bmp:format=bmp4'),
            (f'{tag}.gif',), (f'{tag}_interlaced.gif', '-interlace', 'GIF'),
            (f'{tag}_c2.gif', '-colors', '2'), (f'{tag}_c16.gif', '-colors', '16', '-dither', 'None'),
            (f'{tag}_grey.gif', '-type', 'grayscale'),
            (f'{tag}_trns.gif', '-fuzz', '10%', '-transparent', 'white'),
            (f'{tag}_q30.jpg', '-quality', '30'), (f'{tag}_q95.jpg', '-quality', '95'),
            (f'{tag}_444.jpg', '-sampling-factor', '1x1'), (f'{tag}_422.jpg', '-sampling-factor', '2x1'),
            (f'{tag}_411.jpg', '-sampling-factor', '4x1'), (f'{tag}_440.jpg', '-sampling-factor', '1x2'),
            (f'{tag}_prog.jpg', '-interlace', 'Plane'), (f'{tag}_grey.jpg', '-colorspace', 'Gray'),
            (f'{tag}_cmyk.jpg', '-colorspace', 'CMYK'),
            (f'{tag}_opt.jpg', '-define', 'jpeg:optimize-coding=true'),
            (f'{tag}_arith.jpg', '-define', 'jpeg:arithmetic-coding=true'),
            (f'{tag}_restart.jpg', '-define', 'jpeg:restart-interval=1'),
            (f'PNG8:{tag}_png8.png',), (f'PNG24:{tag}_png24.png',), (f'PNG32:{tag}_png32.png', '-alpha', 'on'),
            (f'PNG48:{tag}_png48.png',), (f'PNG64:{tag}_png64.png', '-alpha', 'on'),
            (f'{tag}_grey16.png', '-type', 'grayscale', '-depth', '16'),
            (f'{tag}_greya.png', '-type', 'grayscalealpha'),
            (f'{tag}_interlaced.png', '-interlace', 'PNG'),
            (f'{tag}_bit2.png', '-type', 'grayscale', '-define', 'png:bit-depth=2'),
            (f'{tag}_bit4p.png', '-colors', '12', '-type', 'palette', '-define', 'png:bit-depth=4'),
            (f'{tag}_ptrns.png', '-fuzz', '10%', '-transparent', 'white', '-type', 'palettealpha'),
        ]
        for v in variants:
            p = magick(work, src, v[0], *v[1:])
            if p:
                out.append(p)
        anim = os.path.join(work, f'{tag}_anim.gif')
        if subprocess.run(['convert', '-delay', '10', src, 'rose:', 'netscape:', anim], capture_output=True).returncode == 0:
            out.append(anim)
    img = Image.open(photo)
    for mode in ('1', 'L', 'P', 'RGB', 'RGBA', 'LA', 'I;16'):
        im = img.convert(mode) if mode != 'I;16' else Image.fromarray(
            (np.asarray(img.convert('L'), dtype=np.uint16) * 257), 'I;16')
        for fmt, ext, kw in (('BMP', 'bmp', {}), ('GIF', 'gif', {}), ('GIF', 'gif', {'interlace': False}),
                             ('PNG', 'png', {}), ('PNG', 'png', {'optimize': True}), ('JPEG', 'jpg', {}),
                             ('JPEG', 'jpg', {'progressive': True, 'quality': 60}),
                             ('JPEG', 'jpg', {'subsampling': 0, 'quality': 92}), ('DIB', 'dib', {})):
            p = os.path.join(work, f'pil_{mode.replace(";", "")}_{fmt}_{len(kw)}_{sorted(kw)}.{ext}'.replace(' ', ''))
            try:
                im.save(p, fmt, **kw)
                out.append(p)
            except (OSError, ValueError, KeyError):
                pass
    cmyk = img.convert('CMYK')
    p = os.path.join(work, 'pil_cmyk.jpg')
    cmyk.save(p, 'JPEG')
    out.append(p)
    return out


def pillow_digest(path):
    try:
        with Image.open(path) as im:
            rgb = np.asarray(im.convert('RGB'))
        return (rgb.shape[1], rgb.shape[0], hashlib.sha256(rgb.tobytes()).hexdigest())
    except Exception as e:  # noqa: BLE001 -- a refusal is a result
        return ('ERR', f'{type(e).__name__}: {e}')


def pillow_format(path):
    try:
        with Image.open(path) as im:
            return im.format
    except Exception:  # noqa: BLE001
        return EXTS.get(os.path.splitext(path)[1].lower(), '?') + '?'


def java_digests(paths, work):
    cp_file = os.path.join(work, 'cp.txt')
    env = dict(os.environ, MAVEN_OPTS=os.environ.get('MAVEN_OPTS', '-Dmaven.repo.local=/work/m2/formats'))
    subprocess.run(['mvn', '-B', '-ntp', '-q', '-o', '-pl', 'image', 'dependency:build-classpath',
                    f'-Dmdep.outputFile={cp_file}'], cwd=ROOT, check=True, env=env)
    with open(cp_file) as f:
        cp = os.path.join(ROOT, 'image', 'target', 'classes') + ':' + f.read().strip()
    lst = os.path.join(work, 'list.txt')
    with open(lst, 'w') as f:
        f.write('\n'.join(paths) + '\n')
    r = subprocess.run(['java', '-Xmx3g', '-cp', cp, os.path.join(ROOT, 'tools', 'DecodeDigest.java'), lst],
                       capture_output=True, text=True, check=True, timeout=3600)
    out = {}
    for line in r.stdout.splitlines():
        parts = line.split('\t')
        out[parts[0]] = ('ERR', parts[2]) if parts[1] in ('ERR', 'CRASH') else (int(parts[1]), int(parts[2]),
                                                                                parts[3])
        if parts[1] == 'CRASH':
            out[parts[0]] = ('CRASH', parts[2])
    return out


def report(paths, ours, group, width=8):
    """Compares Pillow's result on each path with ours; prints counts per group(path) and every file where they
    disagree. Returns the number of disagreements."""
    stats = collections.defaultdict(collections.Counter)
    odd = collections.defaultdict(list)
    for p in paths:
        ref = pillow_digest(p)
        got = ours.get(p, ('CRASH', 'no answer'))
        if got[0] == 'CRASH':
            kind = 'CRASH (not a one-line error)'
        elif ref[0] == 'ERR' and got[0] == 'ERR':
            kind = 'both refuse'
        elif ref[0] == 'ERR':
            kind = 'only we decode'
        elif got[0] == 'ERR':
            kind = 'only Pillow decodes'
        elif ref == got:
            kind = 'same pixels'
        else:
            kind = 'pixels differ'
        stats[group(p)][kind] += 1
        if kind not in ('same pixels', 'both refuse'):
            odd[kind].append((p, ref[1] if ref[0] == 'ERR' else '', got[1] if got[0] in ('ERR', 'CRASH') else ''))
    total = collections.Counter()
    for key in sorted(stats):
        print(f'  {key:{width}s} ' + ', '.join(f'{k}: {v}' for k, v in sorted(stats[key].items())))
        total.update(stats[key])
    print(f'  {"total":{width}s} ' + ', '.join(f'{k}: {v}' for k, v in sorted(total.items())))
    for kind, items in odd.items():
        print(f'\n{kind} ({len(items)}):')
        for p, a, b in items[:40]:
            print(f'  {p}\n      Pillow: {a or "decodes"}\n      ours:   {b or "decodes"}')
    return sum(len(v) for v in odd.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--work', default='/tmp/mobilenet_corpus')
    args = ap.parse_args()
    files = found_files() + generated(args.work)
    seen = {}
    for p in files:
        with open(p, 'rb') as f:
            h = hashlib.sha256(f.read()).hexdigest()
        seen.setdefault(h, p)
    paths = sorted(seen.values())
    ours = java_digests(paths, args.work)
    print(f'{len(paths)} distinct files ({len(files)} before deduplication)')
    report(paths, ours, pillow_format)
    return 0


if __name__ == '__main__':
    sys.exit(main())
