#!/usr/bin/python3
"""Generates the WebP decoder's fixtures: small WebP files made by libwebp 1.2.4's own tools (cwebp, img2webp,
webpmux and, for several token partitions, tools/webp_partitions.c), corrupted variants, and what Pillow 9.4
(which links the same libwebp) makes of each: Image.open(f).convert('RGB') and, with alpha, convert('RGBA').

Run from the repository root (see tools/WEBP_FIXTURES.md):
    LIBWEBP_SRC=/tmp/libwebp-1.2.4 PYTHONPATH=/tmp/timm /usr/bin/python3 tools/make_webp_fixtures.py
Writes image/src/test/resources/webp/: the .webp files and manifest.json (per file: size, sha256 of Pillow's RGB
and RGBA bytes, a few sample pixels, or Pillow's error; plus CRC-32 of timm's eval tensor for a few files).
Deterministic: fixed seeds, and libwebp's encoder is deterministic for a given input and options.
"""
import hashlib
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zlib

import numpy as np
import PIL
from PIL import Image, features

import fixture_dir

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'image', 'src', 'test', 'resources', 'webp')
TMP = tempfile.mkdtemp(prefix='webpfix')
manifest = {'pillow': PIL.__version__, 'libwebp': features.version('webp'), 'cases': [], 'eval': []}


def picture(w, h, seed, noise=10):
    """Smooth gradients, noise, hard edges, a disc and thin strokes: every kind of block a photo has."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 40 + 180 * x / max(w - 1, 1)
    g = 30 + 200 * y / max(h - 1, 1)
    b = 127.5 + 100 * np.sin((x + 2 * y) / 6.0)
    img = np.stack([r, g, b], axis=-1)
    img += rng.normal(0, noise, size=img.shape)
    cx, cy = w * 0.6, h * 0.4
    img[(x - cx) ** 2 + (y - cy) ** 2 < (min(w, h) * 0.25) ** 2] = [230, 30, 50]
    img[(x > w * 0.1) & (x < w * 0.35) & (y > h * 0.55) & (y < h * 0.9)] = [10, 190, 90]
    for k in range(3, w, 9):
        img[(np.abs(x - k) < 0.5) & (y % 13 < 7)] = [5, 5, 5]
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def alpha_plane(w, h, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    a = 255 * (x + y) / max(w + h - 2, 1)
    a[(x - w / 2) ** 2 + (y - h / 2) ** 2 < (min(w, h) * 0.2) ** 2] = 0
    a[: h // 4, : w // 4] = 255
    a += rng.normal(0, 6, size=a.shape)
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def png_file(arr, name):
    path = os.path.join(TMP, name + '.png')
    Image.fromarray(arr).save(path)
    return path


def cwebp(src, *args):
    out = os.path.join(TMP, 'out.webp')
    subprocess.run(['cwebp', '-quiet', *map(str, args), src, '-o', out], check=True)
    with open(out, 'rb') as f:
        return f.read()


def sha(b):
    return hashlib.sha256(b).hexdigest()


def record(name, data, note):
    """Saves a file and what Pillow makes of it (or the error Pillow raises)."""
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)
    case = {'file': name, 'note': note}
    try:
        im = Image.open(io.BytesIO(data))
        rgb = np.asarray(im.convert('RGB'))
        case['width'], case['height'] = im.size
        case['mode'] = im.mode
        case['rgb_sha256'] = sha(rgb.tobytes())
        if im.mode == 'RGBA':
            case['rgba_sha256'] = sha(np.asarray(im.convert('RGBA')).tobytes())
        h, w = rgb.shape[:2]
        pts = sorted({(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (w // 2, h // 2), (w // 3, (2 * h) // 3)})
        case['samples'] = [[x, y, *map(int, rgb[y, x])] for x, y in pts]
    except Exception as e:  # Pillow refuses the file: the decoder must refuse it too
        case['error'] = type(e).__name__ + ': ' + str(e)
    manifest['cases'].append(case)
    return case


def lossy_cases():
    sizes = [(1, 1), (2, 3), (15, 9), (16, 16), (17, 33), (37, 23), (64, 48), (100, 75), (129, 67), (297, 203)]
    for i, (w, h) in enumerate(sizes):
        src = png_file(picture(w, h, 100 + i), f'p{w}x{h}')
        for q in ((75,) if w * h > 20000 else (0, 50, 90) if w * h < 1000 else (5, 75, 100)):
            record(f'lossy_{w}x{h}_q{q}.webp', cwebp(src, '-q', q), f'cwebp -q {q}')
    src = png_file(picture(129, 67, 7), 'filters')
    variants = [
        ('f0', ['-f', 0]), ('f20_sharp3', ['-f', 20, '-sharpness', 3]), ('f100_sharp7', ['-f', 100, '-sharpness', 7]),
        ('f60_strong', ['-f', 60, '-strong']), ('simple_f30', ['-nostrong', '-f', 30]),
        ('simple_f90_sharp5', ['-nostrong', '-f', 90, '-sharpness', 5]), ('seg1', ['-segments', 1]),
        ('seg2', ['-segments', 2]), ('seg3_sns100', ['-segments', 3, '-sns', 100]), ('seg4_sns0', ['-segments', 4, '-sns', 0]),
        ('plimit70', ['-partition_limit', 70, '-q', 95]), ('pass6', ['-pass', 6, '-psnr', 38]),
        ('m0', ['-m', 0]), ('m6', ['-m', 6, '-q', 30]), ('sharpyuv', ['-sharp_yuv']), ('af', ['-af', '-q', 60]),
        ('q100_f0', ['-q', 100, '-f', 0]), ('preset_text', ['-preset', 'text']),
    ]
    for tag, args in variants:
        record(f'lossy_129x67_{tag}.webp', cwebp(src, *args), 'cwebp ' + ' '.join(map(str, args)))
    # 19 macroblock rows: more than the decoder's planes hold at once, with each kind of loop filter
    tall = png_file(picture(41, 301, 9), 'tall')
    for tag, args in (('q75', ['-q', 75]), ('simple_f60', ['-nostrong', '-f', 60]),
                      ('f100_sharp2', ['-f', 100, '-sharpness', 2]), ('f0', ['-f', 0])):
        record(f'lossy_41x301_{tag}.webp', cwebp(tall, *args), 'cwebp ' + ' '.join(map(str, args)))
    flat = np.zeros((40, 50, 3), np.uint8) + np.array([146, 125, 98], np.uint8)
    record('lossy_flat_50x40.webp', cwebp(png_file(flat, 'flat'), '-q', 80), 'one colour: skipped blocks')
    tool = os.environ.get('LIBWEBP_SRC')
    if tool:
        exe = os.path.join(TMP, 'webp_partitions')
        subprocess.run(['gcc', '-O1', '-I', os.path.join(tool, 'src'), '-o', exe,
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), 'webp_partitions.c'),
                        '/usr/lib/x86_64-linux-gnu/libwebp.so.7'], check=True)
        arr = picture(83, 71, 55)
        for parts in (1, 2, 3):
            out = os.path.join(TMP, 'parts.webp')
            subprocess.run([exe, '83', '71', '70', str(parts), out], input=arr.tobytes(), check=True)
            with open(out, 'rb') as f:
                record(f'lossy_83x71_partitions{1 << parts}.webp', f.read(), f'{1 << parts} token partitions')
    else:
        print('LIBWEBP_SRC not set: no multi-partition files')


def alpha_cases():
    w, h = 61, 45
    rgba = np.dstack([picture(w, h, 21), alpha_plane(w, h, 22)])
    src = png_file(rgba, 'rgba')
    variants = [('lossless_fast', ['-alpha_filter', 'fast']), ('lossless_none', ['-alpha_filter', 'none']),
                ('lossless_best', ['-alpha_filter', 'best']), ('raw_none', ['-alpha_method', 0, '-alpha_filter', 'none']),
                ('raw_best', ['-alpha_method', 0, '-alpha_filter', 'best']), ('q50', ['-alpha_q', 50]),
                ('q10_raw', ['-alpha_q', 10, '-alpha_method', 0]), ('exact', ['-exact', '-q', 60])]
    for tag, args in variants:
        record(f'alpha_{w}x{h}_{tag}.webp', cwebp(src, *args), 'cwebp ' + ' '.join(map(str, args)))
    # each alpha filter forced, by patching the ALPH header of a raw (uncompressed) alpha chunk
    base = cwebp(src, '-alpha_method', 0, '-alpha_filter', 'none')
    i = base.index(b'ALPH')
    for f in (1, 2, 3):
        patched = bytearray(base)
        patched[i + 8] = (patched[i + 8] & ~0x0c) | (f << 2)
        record(f'alpha_{w}x{h}_raw_filter{f}.webp', bytes(patched), f'raw ALPH with filter {f} set by hand')
    odd = np.dstack([picture(1, 7, 23), alpha_plane(1, 7, 24)])
    record('alpha_1x7.webp', cwebp(png_file(odd, 'odd'), '-alpha_filter', 'best'), '1 pixel wide with alpha')
    zero = rgba.copy()
    zero[..., 3] = 0
    record('alpha_zero_61x45.webp', cwebp(png_file(zero, 'zero'), '-exact'), 'fully transparent, -exact')


def lossless_cases():
    w, h = 53, 37
    photo = picture(w, h, 31)
    rgba = np.dstack([photo, alpha_plane(w, h, 32)])
    few = (picture(w, h, 33, noise=0) // 64 * 64).astype(np.uint8)
    gray = np.repeat(picture(w, h, 34)[..., :1], 3, axis=2)
    two = np.zeros((h, w, 3), np.uint8)
    two[::2] = 255
    for tag, arr in (('photo', photo), ('rgba', rgba), ('few', few), ('gray', gray), ('two', two)):
        src = png_file(arr, 'll_' + tag)
        for z in (0, 6, 9):
            record(f'lossless_{tag}_{w}x{h}_z{z}.webp', cwebp(src, '-z', z), f'cwebp -z {z}')
    src = png_file(photo, 'nl')
    record(f'lossless_near60_{w}x{h}.webp', cwebp(src, '-lossless', '-near_lossless', 60), 'near-lossless 60')
    big = picture(300, 200, 35)
    record('lossless_300x200.webp', cwebp(png_file(big, 'llbig'), '-lossless', '-m', 4), 'cwebp -lossless')
    one = picture(1, 1, 36)
    record('lossless_1x1.webp', cwebp(png_file(one, 'll1'), '-lossless'), 'cwebp -lossless 1x1')


def anim_cases():
    a = os.path.join(TMP, 'a.webp')
    b = os.path.join(TMP, 'b.webp')
    with open(a, 'wb') as f:
        f.write(cwebp(png_file(np.dstack([picture(30, 20, 41), alpha_plane(30, 20, 42)]), 'fa'), '-q', 70))
    with open(b, 'wb') as f:
        f.write(cwebp(png_file(picture(48, 36, 43), 'fb'), '-q', 70))
    out = os.path.join(TMP, 'anim.webp')
    subprocess.run(['webpmux', '-frame', a, '+100+10+6', '-frame', b, '+100+0+0', '-loop', '0', '-bgcolor',
                    '255,200,100,50', '-o', out], check=True, capture_output=True)
    with open(out, 'rb') as f:
        record('anim_offset_48x36.webp', f.read(), 'first frame (lossy + alpha) at (10, 6) on a 48x36 canvas')
    frames = [png_file(picture(40, 30, 44 + k), f'af{k}') for k in range(3)]
    subprocess.run(['img2webp', '-q', '60', '-lossy', frames[0], '-lossless', frames[1], frames[2], '-o', out],
                   check=True, capture_output=True)
    with open(out, 'rb') as f:
        record('anim_img2webp_40x30.webp', f.read(), 'img2webp: three frames, the first lossy')
    subprocess.run(['img2webp', '-lossless', frames[1], '-lossy', frames[0], '-o', out], check=True,
                   capture_output=True)
    with open(out, 'rb') as f:
        record('anim_lossless_first_40x30.webp', f.read(), 'img2webp: the first frame lossless')


def chunks(data):
    """(fourcc, offset of the chunk header, payload size) for each top-level chunk."""
    out, pos = [], 12
    while pos + 8 <= len(data):
        size = struct.unpack('<I', data[pos + 4:pos + 8])[0]
        out.append((data[pos:pos + 4], pos, size))
        pos += 8 + size + (size & 1)
    return out


def with_riff(body):
    """A RIFF around one chunk whose size field is fixed to what is left, padded to an even length."""
    body = body[:4] + struct.pack('<I', len(body) - 8) + body[8:]
    if len(body) & 1:
        body += b'\0'
    return b'RIFF' + struct.pack('<I', len(body) + 4) + b'WEBP' + body


def corrupt_cases():
    src = png_file(picture(100, 75, 51), 'c')
    good = cwebp(src, '-q', 80)
    (_, vp8, size), = chunks(good)
    p0 = struct.unpack('<I', good[vp8 + 8:vp8 + 11] + b'\0')[0] >> 5
    first = vp8 + 8 + 10
    record('corrupt_truncated_half.webp', good[:len(good) // 2], 'file cut in half')
    record('corrupt_truncated_header.webp', good[:vp8 + 12], 'cut inside the VP8 frame header')
    for frac in (0.3, 0.9):
        cut = first + p0 + int((size - 10 - p0) * frac)
        record(f'corrupt_tokens_cut{int(frac * 100)}.webp', with_riff(good[12:cut]), 'token partition cut, sizes fixed')
    cut = first + p0 // 2
    record('corrupt_partition0_cut.webp', with_riff(good[12:cut]), 'first partition cut, sizes fixed')
    for tag, p in (('big', p0 + 5000), ('small', p0 // 3), ('zero', 0)):
        b = bytearray(good)
        bits = struct.unpack('<I', good[vp8 + 8:vp8 + 11] + b'\0')[0]
        bits = (bits & 0x1f) | (p << 5)
        b[vp8 + 8:vp8 + 11] = struct.pack('<I', bits)[:3]
        record(f'corrupt_partition0_{tag}.webp', bytes(b), f'first partition size set to {p}')
    b = bytearray(good)
    b[vp8 + 4:vp8 + 8] = struct.pack('<I', size + 1000)
    record('corrupt_chunk_size_big.webp', bytes(b), 'VP8 chunk size beyond the file')
    b = bytearray(good)
    b[vp8 + 4:vp8 + 8] = struct.pack('<I', 6)
    record('corrupt_chunk_size_small.webp', bytes(b), 'VP8 chunk size 6')
    b = bytearray(good)
    b[4:8] = struct.pack('<I', len(good) + 100)
    record('corrupt_riff_size_big.webp', bytes(b), 'RIFF size beyond the file')
    record('corrupt_trailing_junk.webp', good + b'JUNKJUNK' * 3, 'bytes after the RIFF')
    b = bytearray(good)
    b[vp8 + 8 + 3] ^= 0xff
    record('corrupt_signature.webp', bytes(b), 'bad VP8 start code')
    b = bytearray(good)
    b[vp8 + 8 + 6:vp8 + 8 + 8] = struct.pack('<H', 200)
    record('corrupt_width_mismatch.webp', bytes(b), 'VP8 width changed (no VP8X)')
    b = bytearray(good)
    b[first + p0:first + p0 + 3] = b'\xff\xff\x00'
    record('corrupt_tokens_start.webp', bytes(b), 'first token bytes overwritten: huge coefficients')
    rng = np.random.default_rng(52)
    for k in range(4):
        b = bytearray(good)
        for pos in rng.integers(first + p0 // 2, len(good), size=3):
            b[pos] ^= 1 << int(rng.integers(0, 8))
        record(f'corrupt_bitflip{k}.webp', bytes(b), 'three bits flipped in the partitions')
    # multi-partition file with a bad partition size table
    mp = os.path.join(OUT, 'lossy_83x71_partitions4.webp')
    if os.path.exists(mp):
        with open(mp, 'rb') as f:
            m = bytearray(f.read())
        (_, v, _), = chunks(bytes(m))
        q0 = struct.unpack('<I', bytes(m[v + 8:v + 11]) + b'\0')[0] >> 5
        t = v + 8 + 10 + q0
        m[t:t + 3] = b'\xff\xff\x00'
        record('corrupt_partition_table.webp', bytes(m), 'first token partition size 65535 (clamped by libwebp)')
    rgba = cwebp(png_file(np.dstack([picture(40, 30, 53), alpha_plane(40, 30, 54)]), 'ca'))
    i = rgba.index(b'ALPH')
    asize = struct.unpack('<I', rgba[i + 4:i + 8])[0]
    b = bytearray(rgba)
    for pos in range(i + 8 + asize // 2, i + 8 + asize):
        b[pos] = 0
    record('corrupt_alpha_zeroed.webp', bytes(b), 'second half of the lossless ALPH stream zeroed')
    b = bytearray(rgba)
    b[i + 8] = (b[i + 8] & ~3) | 3
    record('corrupt_alpha_method.webp', bytes(b), 'ALPH compression method 3')


def eval_cases():
    import torch  # noqa: F401  (timm needs it)
    from timm.data import create_transform, resolve_data_config
    for name in ('lossy_297x203_q75.webp', 'alpha_61x45_lossless_fast.webp'):
        img = Image.open(os.path.join(OUT, name)).convert('RGB')
        cfg = resolve_data_config({'input_size': (3, 224, 224), 'crop_pct': 0.875, 'interpolation': 'bicubic'})
        x = create_transform(**cfg)(img).numpy().astype('<f4')
        manifest['eval'].append({'file': name, 'size': 224, 'crop_pct': 0.875, 'crop_mode': cfg['crop_mode'],
                                 'interpolation': 'bicubic', 'mean': list(cfg['mean']), 'std': list(cfg['std']),
                                 'crc32': zlib.crc32(x.tobytes()), 'sum': float(x.astype(np.float64).sum())})


def main():
    fixture_dir.fresh(OUT)
    lossy_cases()
    alpha_cases()
    lossless_cases()
    anim_cases()
    corrupt_cases()
    eval_cases()
    shutil.rmtree(TMP)
    total = fixture_dir.finish(OUT, 'manifest.json', manifest)
    print(len(manifest['cases']), 'cases,', total, 'bytes')


if __name__ == '__main__':
    main()
