#!/usr/bin/python3
"""Hand-crafted BMP/DIB, GIF, PNG and JPEG edge cases (issue 12) and what Pillow 9.4 makes of them.

Run from the repository root with Debian's Python (Pillow 9.4):
    /usr/bin/python3 tools/make_format_fixtures.py
Writes image/src/test/resources/formats/: the files and formats.json, one entry per file:
  {"file", "expect": "pixels", "width", "height", "sha256"}   sha256 of Image.open(path).convert('RGB') bytes
  {"file", "expect": "refused", "stage": "open" or "convert", "pillow": "ExceptionType: message"}
Where Pillow 9.4 has a bug that later Pillow fixed (BMP RLE4 odd absolute runs, RLE delta escapes), the expected
pixels are those of an uncompressed twin holding the intended indices, decoded by Pillow, and "pillow94" records
what 9.4 itself does. Deterministic: rerunning gives the same files.
"""
import hashlib
import io
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image

import fixture_dir

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'image', 'src', 'test', 'resources', 'formats')
cases = []


def message(e, path):
    """The exception as one line, with the file's name instead of its path (the fixtures do not depend on where
    the repository is)."""
    return f'{type(e).__name__}: {e}'.replace(path, os.path.basename(path))


def pillow(path):
    """What Image.open(path).convert('RGB') gives: pixels (size, sha256), or the refusal and where it happens
    ("open": Image.open raises; "convert": open succeeds, loading the pixels raises)."""
    try:
        im = Image.open(path)
    except Exception as e:  # noqa: BLE001 -- recording every refusal is the point
        return {'expect': 'refused', 'stage': 'open', 'pillow': message(e, path)}
    try:
        with im:
            rgb = np.asarray(im.convert('RGB'))
    except Exception as e:  # noqa: BLE001
        return {'expect': 'refused', 'stage': 'convert', 'pillow': message(e, path)}
    return {'expect': 'pixels', 'width': int(rgb.shape[1]), 'height': int(rgb.shape[0]),
            'sha256': hashlib.sha256(rgb.tobytes()).hexdigest()}


def case(name, data, note='', twin=None):
    """Writes the file and records Pillow's result; with `twin`, the expected pixels are the twin's."""
    path = os.path.join(OUT, name)
    with open(path, 'wb') as f:
        f.write(data)
    entry = {'file': name, 'note': note}
    got = pillow(path)
    if twin is not None:
        tpath = os.path.join(OUT, '_twin.tmp')
        with open(tpath, 'wb') as f:
            f.write(twin)
        expected = pillow(tpath)
        os.remove(tpath)
        entry.update(expected)
        entry['pillow94'] = got if got != expected else 'same'
    else:
        entry.update(got)
    cases.append(entry)


# ---------------------------------------------------------------------------------------------------------- BMP

def bmp(info, palette=b'', pixels=b'', offset=None):
    """A BMP file: file header + info header + palette + pixel data (offset defaults to right after the palette)."""
    off = 14 + len(info) + len(palette) if offset is None else offset
    body = info + palette
    gap = b'\0' * max(0, off - 14 - len(body))
    return b'BM' + struct.pack('<IHHI', 14 + len(body) + len(gap) + len(pixels), 0, 0, off) + body + gap + pixels


def info40(w, h, bits, compression=0, colors=0, size=40, image_size=0, extra=b''):
    head = struct.pack('<IiiHHIIiiII', size, w, h, 1, bits, compression, image_size, 2835, 2835, colors, 0)
    head += extra
    return head + b'\0' * (size - len(head))


def info12(w, h, bits):
    return struct.pack('<IHHHH', 12, w, h, 1, bits)


def pal(colors, padding=4, seed=0):
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 256, size=(colors, 3), dtype=np.uint8)
    return b''.join(bytes(row[::-1]) + (b'\0' if padding == 4 else b'') for row in c)


def raw_rows(idx, bits):
    """Bottom-up rows of indices packed at `bits` per pixel, padded to 4 bytes."""
    h, w = idx.shape
    out = b''
    for y in range(h - 1, -1, -1):
        if bits == 8:
            row = bytes(int(v) for v in idx[y])
        elif bits == 4:
            row = bytes((int(idx[y, x]) << 4) | (int(idx[y, x + 1]) if x + 1 < w else 0) for x in range(0, w, 2))
        else:
            raise ValueError(bits)
        out += row + b'\0' * (-len(row) % 4)
    return out


def rle8_row(row):
    """Encoded runs and absolute runs (odd lengths padded) for one row of indices."""
    out = b''
    x = 0
    w = len(row)
    while x < w:
        run = 1
        while x + run < w and row[x + run] == row[x] and run < 255:
            run += 1
        if run >= 3 or w - x < 3:
            out += bytes([run, row[x]])
            x += run
        else:
            n = min(w - x, 7)
            out += bytes([0, n]) + bytes(int(v) for v in row[x:x + n]) + (b'\0' if n % 2 else b'')
            x += n
    return out


def indices(w, h, colors, seed):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, colors, size=(h, w))
    idx[:, : w // 3] = idx[:, :1]  # some runs
    return idx


def bmp_cases():
    w, h = 13, 9
    # RLE8: runs, absolute runs of odd and even lengths, end of line, end of bitmap
    idx = indices(w, h, 6, 1)
    stream = b''.join(rle8_row(idx[y]) + b'\0\0' for y in range(h - 1, -1, -1)) + b'\0\1'
    p6 = pal(6)
    case('bmp_rle8_13x9.bmp', bmp(info40(w, h, 8, 1, 6), p6, stream))
    # RLE8 indices beyond the 6-colour palette: Pillow's padded palette (index i -> grey i)
    idx2 = idx.copy()
    idx2[2, 5:9] = [7, 40, 200, 255]
    stream = b''.join(rle8_row(idx2[y]) + b'\0\0' for y in range(h - 1, -1, -1)) + b'\0\1'
    case('bmp_rle8_outside_palette_13x9.bmp', bmp(info40(w, h, 8, 1, 6), p6, stream),
         note='indices 7..255 of a 6-colour palette: grey (i, i, i)')
    # RLE8 end of line after a few pixels (the rest of the row is index 0), then full rows
    rows = [bytes([4, 3]) + b'\0\0'] + [rle8_row(idx[y]) + b'\0\0' for y in range(h - 2, -1, -1)]
    case('bmp_rle8_eol_13x9.bmp', bmp(info40(w, h, 8, 1, 6), p6, b''.join(rows) + b'\0\1'),
         note='a row ended early: index 0')
    # RLE8 delta: skip 5 right, 2 up (skipped pixels are index 0). 9.4 reads the wrong two bytes.
    stream = bytes([3, 2]) + b'\0\2' + bytes([5, 2]) + bytes([w - 8, 4]) + b'\0\0'
    stream += b''.join(rle8_row(idx[y]) + b'\0\0' for y in range(h - 4, -1, -1)) + b'\0\1'
    twin_idx = idx.copy()
    twin_idx[h - 1, :] = 0
    twin_idx[h - 2, :] = 0
    twin_idx[h - 3, :] = 0
    twin_idx[h - 1, 0:3] = 2
    twin_idx[h - 3, 8:] = 4
    case('bmp_rle8_delta_13x9.bmp', bmp(info40(w, h, 8, 1, 6), p6, stream),
         note='delta escape; fixed behaviour (later Pillow): offsets are the two bytes after it',
         twin=bmp(info40(w, h, 8, 0, 6), p6, raw_rows(twin_idx, 8)))
    # RLE8 run longer than the row: clipped
    stream = bytes([200, 1]) + b'\0\0' + b''.join(rle8_row(idx[y]) + b'\0\0' for y in range(h - 2, -1, -1)) + b'\0\1'
    case('bmp_rle8_long_run_13x9.bmp', bmp(info40(w, h, 8, 1, 6), p6, stream), note='run clipped to the row')
    # RLE8 top-down (negative height)
    stream = b''.join(rle8_row(idx[y]) + b'\0\0' for y in range(h)) + b'\0\1'
    case('bmp_rle8_topdown_13x9.bmp', bmp(info40(w, -h, 8, 1, 6), p6, stream))
    # RLE8 whose data ends early (end of bitmap on the 3rd row): Pillow refuses (not enough image data)
    stream = b''.join(rle8_row(idx[y]) + b'\0\0' for y in range(h - 1, h - 4, -1)) + b'\0\1'
    case('bmp_rle8_short_13x9.bmp', bmp(info40(w, h, 8, 1, 6), p6, stream))
    # RLE8 with a grey palette (mode L) and with a black/white palette (mode 1: Pillow refuses)
    grey = b''.join(bytes([i, i, i, 0]) for i in range(256))
    stream = b''.join(rle8_row(idx[y] * 40) + b'\0\0' for y in range(h - 1, -1, -1)) + b'\0\1'
    case('bmp_rle8_grey_13x9.bmp', bmp(info40(w, h, 8, 1, 256), grey, stream))
    bw = bytes([0, 0, 0, 0, 255, 255, 255, 0])
    stream = b''.join(rle8_row(idx[y] % 2) + b'\0\0' for y in range(h - 1, -1, -1)) + b'\0\1'
    case('bmp_rle8_bw_13x9.bmp', bmp(info40(w, h, 8, 1, 2), bw, stream))

    # RLE4: runs alternate two nibbles; even absolute runs; indices beyond a 5-colour palette
    p5 = pal(5, seed=2)
    rows = []
    for y in range(h - 1, -1, -1):
        rows.append(bytes([5, 0x12]) + b'\0\4' + bytes([0x34, 0x9F]) + bytes([4, 0xEE]) + b'\0\0')
    case('bmp_rle4_13x9.bmp', bmp(info40(w, h, 4, 2, 5), p5, b''.join(rows) + b'\0\1'),
         note='nibbles 9, 14, 15 beyond the 5-colour palette: grey')
    # RLE4 absolute run of 5 pixels (odd): 3 bytes, padded to 4. 9.4 reads 2 bytes and loses its place.
    rows = []
    tw = np.zeros((h, w), dtype=int)
    for r, y in enumerate(range(h - 1, -1, -1)):
        rows.append(bytes([3, 0x21]) + b'\0\5' + bytes([0x34, 0x12, 0x40, 0]) + bytes([5, 0x33]) + b'\0\0')
        tw[y, :] = [2, 1, 2, 3, 4, 1, 2, 4, 3, 3, 3, 3, 3]
    case('bmp_rle4_odd_absolute_13x9.bmp', bmp(info40(w, h, 4, 2, 5), p5, b''.join(rows) + b'\0\1'),
         note='odd RLE4 absolute run; fixed behaviour (later Pillow): (n + 1) / 2 bytes',
         twin=bmp(info40(w, h, 4, 0, 5), p5, raw_rows(tw, 4)))

    # Uncompressed variants
    rng = np.random.default_rng(5)
    rgb = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)

    def rows24(a, bgr=True):
        out = b''
        for y in range(a.shape[0] - 1, -1, -1):
            row = a[y, :, ::-1].tobytes() if bgr else a[y].tobytes()
            out += row + b'\0' * (-len(row) % 4)
        return out

    def rows32(a, order):
        """order: byte positions of R, G, B, A in each 32-bit pixel."""
        out = b''
        for y in range(a.shape[0] - 1, -1, -1):
            for x in range(a.shape[1]):
                px = bytearray(4)
                px[order[0]], px[order[1]], px[order[2]] = a[y, x]
                if len(order) > 3:
                    px[order[3]] = (x * 37 + y) & 255
                out += bytes(px)
        return out

    def rows16(a, six):
        out = b''
        for y in range(a.shape[0] - 1, -1, -1):
            row = b''
            for x in range(a.shape[1]):
                r, g, b_ = (int(v) for v in a[y, x])
                v = ((r >> 3) << 11 | (g >> 2) << 5 | b_ >> 3) if six else ((r >> 3) << 10 | (g >> 3) << 5 | b_ >> 3)
                row += struct.pack('<H', v)
            out += row + b'\0' * (-len(row) % 4)
        return out

    case('bmp_os2v1_24bit_13x9.bmp', bmp(info12(w, h, 24), b'', rows24(rgb)))
    p8 = pal(256, padding=3, seed=3)
    idx8 = indices(w, h, 256, 6)
    case('bmp_os2v1_8bit_13x9.bmp', bmp(info12(w, h, 8), p8, raw_rows(idx8, 8)))
    case('bmp_os2v2_8bit_13x9.bmp', bmp(info40(w, h, 8, 0, 256, size=64), pal(256, seed=3), raw_rows(idx8, 8)))
    case('bmp_os2v2_24bit_13x9.bmp', bmp(info40(w, h, 24, size=64), b'', rows24(rgb)))
    case('bmp_map_size_0_8bit_13x9.bmp', bmp(info40(w, h, 8, 0, 0), pal(256, seed=3), raw_rows(idx8, 8)),
         note='biClrUsed 0: 1 << bits colours')
    case('bmp_offset_at_palette_8bit_13x9.bmp',
         bmp(info40(w, h, 8, 0, 0), pal(256, seed=3), raw_rows(idx8, 8), offset=14 + 40),
         note='bfOffBits points at the palette: Pillow skips 4 * colours')
    idx4 = indices(w, h, 16, 7)
    case('bmp_4bit_short_palette_13x9.bmp', bmp(info40(w, h, 4, 0, 3), pal(3, seed=4), raw_rows(idx4, 4)),
         note='3-colour palette, indices up to 15')
    g16 = b''.join(bytes([i, i, i, 0]) for i in range(16))
    case('bmp_4bit_grey_palette_5x9.bmp', bmp(info40(5, h, 4, 0, 16), g16, raw_rows(idx4[:, :5], 4)),
         note='grey 16-colour palette: Pillow opens mode L with raw mode L (8 bits) and misreads the nibbles')
    case('bmp_4bit_grey_palette_13x9.bmp', bmp(info40(w, h, 4, 0, 16), g16, raw_rows(idx4, 4)),
         note='the same at 13 wide: rows too short for 8 bits, Pillow refuses')
    case('bmp_8bit_bw_palette_13x9.bmp', bmp(info40(w, h, 8, 0, 2), bw, raw_rows(idx % 2, 8)),
         note='a 2-colour black/white palette on 8-bit data: mode 1, read 1 bit per pixel')
    case('bmp_16bit_555_13x9.bmp', bmp(info40(w, h, 16), b'', rows16(rgb, False)))
    case('bmp_32bit_bgrx_13x9.bmp', bmp(info40(w, h, 32), b'', rows32(rgb, (2, 1, 0, 3))),
         note='the fourth byte is ignored')
    masks = lambda *m: struct.pack('<' + 'I' * len(m), *m)  # noqa: E731
    case('bmp_bitfields_565_13x9.bmp', bmp(info40(w, h, 16, 3), masks(0xF800, 0x7E0, 0x1F), rows16(rgb, True)))
    case('bmp_bitfields_555_13x9.bmp', bmp(info40(w, h, 16, 3), masks(0x7C00, 0x3E0, 0x1F), rows16(rgb, False)))
    case('bmp_bitfields_24_13x9.bmp', bmp(info40(w, h, 24, 3), masks(0xFF0000, 0xFF00, 0xFF), rows24(rgb)))
    for label, m, order in (('bgrx', (0xFF0000, 0xFF00, 0xFF, 0), (2, 1, 0)),
                            ('xbgr', (0xFF000000, 0xFF0000, 0xFF00, 0), (3, 2, 1)),
                            ('abgr', (0xFF000000, 0xFF0000, 0xFF00, 0xFF), (3, 2, 1, 0)),
                            ('rgba', (0xFF, 0xFF00, 0xFF0000, 0xFF000000), (0, 1, 2, 3)),
                            ('bgra', (0xFF0000, 0xFF00, 0xFF, 0xFF000000), (2, 1, 0, 3)),
                            ('zero', (0, 0, 0, 0), (2, 1, 0, 3))):
        for size in (108, 124):
            case(f'bmp_v{4 if size == 108 else 5}_bitfields_{label}_13x9.bmp',
                 bmp(info40(w, h, 32, 3, size=size, extra=masks(*m)), b'', rows32(rgb, order)))
    # variants Pillow refuses
    case('bmp_bitfields_444_13x9.bmp', bmp(info40(w, h, 16, 3), masks(0xF00, 0xF0, 0xF), rows16(rgb, True)))
    case('bmp_v5_bitfields_10bit_13x9.bmp',
         bmp(info40(w, h, 32, 3, size=124, extra=masks(0x3FF00000, 0xFFC00, 0x3FF, 0)), b'', rows32(rgb, (2, 1, 0))))
    case('bmp_bitfields_8bit_13x9.bmp', bmp(info40(w, h, 8, 3), masks(0xE0, 0x1C, 0x3) + pal(256), raw_rows(idx8, 8)))
    case('bmp_bitfields_24_rgb_order_13x9.bmp', bmp(info40(w, h, 24, 3), masks(0xFF, 0xFF00, 0xFF0000), rows24(rgb)))
    case('bmp_jpeg_compression_13x9.bmp', bmp(info40(w, h, 24, 4), b'', rows24(rgb)))
    case('bmp_png_compression_13x9.bmp', bmp(info40(w, h, 24, 5), b'', rows24(rgb)))
    case('bmp_v2_header_52_13x9.bmp', bmp(info40(w, h, 24, size=52), b'', rows24(rgb)))
    case('bmp_v3_header_56_13x9.bmp', bmp(info40(w, h, 24, size=56), b'', rows24(rgb)))
    case('bmp_2bit_13x9.bmp', bmp(info40(w, h, 2, 0, 4), pal(4), b'\0' * 4 * h))
    case('bmp_palette_too_large_13x9.bmp', bmp(info40(w, h, 8, 0, 70000), pal(300), raw_rows(idx8, 8)))
    case('bmp_palette_300_13x9.bmp', bmp(info40(w, h, 8, 0, 300), pal(300), raw_rows(idx8, 8)),
         note='a 300-colour palette: Pillow refuses more than 256 entries')
    full = bmp(info40(w, h, 8, 0, 256), pal(256, seed=3), raw_rows(idx8, 8))
    case('bmp_8bit_no_last_padding_13x9.bmp', full[:-3], note='last row without its 3 padding bytes')
    case('bmp_8bit_truncated_13x9.bmp', full[:-20])

    # Headerless DIB (Pillow's DibImagePlugin): the info header first
    for name, data in (('dib_24bit_13x9.dib', bmp(info40(w, h, 24), b'', rows24(rgb))),
                       ('dib_8bit_13x9.dib', bmp(info40(w, h, 8, 0, 256), pal(256, seed=3), raw_rows(idx8, 8))),
                       ('dib_rle8_13x9.dib', bmp(info40(w, h, 8, 1, 6), p6,
                                                 b''.join(rle8_row(idx[y]) + b'\0\0' for y in range(h - 1, -1, -1))
                                                 + b'\0\1')),
                       ('dib_os2v1_24bit_13x9.dib', bmp(info12(w, h, 24), b'', rows24(rgb)))):
        case(name, data[14:], note='no file header')


# --------------------------------------------------------------------------------------------------------- JPEG

def segments(data):
    """(start, end) of each marker segment from SOI up to and including SOS's header."""
    out = [(0, 2)]
    pos = 2
    while True:
        marker = data[pos + 1]
        length = struct.unpack('>H', data[pos + 2:pos + 4])[0]
        out.append((pos, pos + 2 + length))
        pos += 2 + length
        if marker == 0xDA:
            return out


def insert_before(data, marker, junk, nth=0):
    """`junk` inserted right before the nth segment with this marker."""
    seen = 0
    for start, _ in segments(data):
        if data[start + 1] == marker:
            if seen == nth:
                return data[:start] + junk + data[start:]
            seen += 1
    raise ValueError(hex(marker))


def jpeg_cases():
    rng = np.random.default_rng(11)
    y, x = np.mgrid[0:23, 0:37]
    arr = np.stack([x * 7, y * 11, (x + y) * 4], axis=-1) + rng.integers(0, 30, size=(23, 37, 3))
    im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    im.save(buf, 'JPEG', quality=85)
    base = buf.getvalue()
    buf = io.BytesIO()
    im.save(buf, 'JPEG', quality=80, progressive=True)
    prog = buf.getvalue()
    case('jpeg_base_37x23.jpg', base)
    case('jpeg_junk_before_dqt_37x23.jpg', insert_before(base, 0xDB, b'\x12\x34\x56'),
         note='3 junk bytes between APP0 and DQT: libjpeg warns and skips to the next marker')
    case('jpeg_stuffed_zero_before_sof_37x23.jpg', insert_before(base, 0xC0, b'\xff\x00\x00'),
         note='FF 00 00 between segments')
    case('jpeg_junk_before_sos_37x23.jpg', insert_before(base, 0xDA, b'junk!'))
    case('jpeg_junk_after_soi_37x23.jpg', base[:2] + b'\x00\x00' + base[2:])
    case('jpeg_fill_ff_37x23.jpg', insert_before(base, 0xC4, b'\xff\xff\xff', nth=1))
    case('jpeg_junk_ff_fill_mix_37x23.jpg', insert_before(base, 0xC4, b'\x01\xff\x00\xff\xff', nth=1))
    case('jpeg_unknown_marker_37x23.jpg', insert_before(base, 0xDB, b'\xff\x02\x00\x04\xab\xcd'),
         note='reserved marker FF02: libjpeg stops with "Unsupported marker type"')
    case('jpeg_app_after_sof_junk_37x23.jpg', insert_before(base, 0xC4, b'\x07\xff\xe5\x00\x04ab'),
         note='junk, then an APP5 segment after the frame header')
    # progressive: junk between two scans (after the entropy-coded data of the first scan)
    sos = [i for i in range(len(prog) - 1) if prog[i] == 0xFF and prog[i + 1] in (0xDA, 0xC4)]
    cut = sos[len(sos) // 2]
    case('jpeg_progressive_junk_between_scans_37x23.jpg', prog[:cut] + b'\x11\x22' + prog[cut:])
    case('jpeg_progressive_37x23.jpg', prog)
    # a segment length of 0 or 1: Pillow's APP/COM handlers and libjpeg read no data and carry on after the length
    # bytes (the rest of the segment is junk skipped up to the next marker); libjpeg refuses it in DQT
    app0 = base.index(b'\xff\xe0')
    for n in (0, 1):
        case(f'jpeg_app0_length_{n}_37x23.jpg', base[:app0 + 2] + struct.pack('>H', n) + base[app0 + 4:],
             note=f'APP0 length {n}')
    case('jpeg_com_length_0_37x23.jpg', insert_before(base, 0xDB, b'\xff\xfe\x00\x00abc'),
         note='COM length 0 followed by junk')
    dqt = base.index(b'\xff\xdb')
    case('jpeg_dqt_length_0_37x23.jpg', base[:dqt + 2] + b'\x00\x00' + base[dqt + 4:], note='DQT length 0')
    # a marker inside entropy-coded data (one byte of scan data set to FF, so FF xx reads as a marker): libjpeg
    # warns "premature end of data segment", decodes the rest with zero coefficients, and Pillow keeps the pixels
    for label, data in (('baseline', base), ('progressive', prog)):
        scan = [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] == 0xDA][0]
        start = scan + 2 + struct.unpack('>H', data[scan + 2:scan + 4])[0]
        hit = start + 12
        while data[hit + 1] in (0x00, 0xFF) or data[hit] == 0xFF:
            hit += 1
        case(f'jpeg_{label}_marker_in_scan_37x23.jpg', data[:hit] + b'\xff' + data[hit + 1:],
             note='FF xx inside the first scan: "Corrupt JPEG data: premature end of data segment", decoded')


# ---------------------------------------------------------------------------------------------------------- PNG

def png_chunk(tag, data, crc=None):
    crc = zlib.crc32(tag + data) & 0xffffffff if crc is None else crc
    return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', crc)


def png_chunks(data):
    """[(tag, payload)] of a PNG."""
    out = []
    pos = 8
    while pos < len(data):
        n = struct.unpack('>I', data[pos:pos + 4])[0]
        out.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]))
        pos += 12 + n
    return out


def png_join(chunks, bad_crc=()):
    return b'\x89PNG\r\n\x1a\n' + b''.join(png_chunk(t, d, 0x12345678 if i in bad_crc else None)
                                           for i, (t, d) in enumerate(chunks))


def insert_chunk(chunks, before, tag, payload):
    i = [t for t, _ in chunks].index(before)
    return chunks[:i] + [(tag, payload)] + chunks[i:]


def png_cases():
    rng = np.random.default_rng(21)
    im = Image.fromarray(rng.integers(0, 256, size=(9, 13, 3), dtype=np.uint8))
    buf = io.BytesIO()
    im.save(buf, 'PNG')
    base = png_chunks(buf.getvalue())
    tags = [t for t, _ in base]
    ihdr = tags.index(b'IHDR')
    case('png_base_13x9.png', png_join(base))
    case('png_bad_ihdr_crc_13x9.png', png_join(base, bad_crc=(ihdr,)), note='Pillow checks CRCs up to IDAT')
    with_text = insert_chunk(base, b'IDAT', b'tEXt', b'Comment\0hello')
    case('png_bad_text_crc_13x9.png', png_join(with_text, bad_crc=(tags.index(b'IDAT'),)))
    case('png_bad_idat_crc_13x9.png', png_join(base, bad_crc=(tags.index(b'IDAT'),)),
         note='IDAT CRCs are not checked')
    after = insert_chunk(base, b'IEND', b'tEXt', b'Comment\0after')
    case('png_bad_crc_after_idat_13x9.png', png_join(after, bad_crc=(len(after) - 2,)),
         note='chunks after the image data are not CRC-checked')
    private = insert_chunk(base, b'IDAT', b'prVt', b'x' * 10)
    case('png_bad_private_crc_13x9.png', png_join(private, bad_crc=(tags.index(b'IDAT'),)))
    mb = 1024 * 1024
    for label, size in (('1MiB_minus_1', mb - 1), ('1MiB', mb), ('1MiB_plus_1', mb + 1)):
        z = zlib.compress(b'a' * size, 9)
        case(f'png_ztxt_{label}_13x9.png', png_join(insert_chunk(base, b'IDAT', b'zTXt', b'Comment\0\0' + z)),
             note='Pillow inflates text to at most 1 MiB (ImageFile.SAFEBLOCK)')
    bomb = zlib.compress(b'\0' * (8 * mb), 9)
    case('png_ztxt_bomb_13x9.png', png_join(insert_chunk(base, b'IDAT', b'zTXt', b'Comment\0\0' + bomb)),
         note='8 MiB of zeros in 8 kB: refused without inflating it all')
    case('png_ztxt_bomb_after_idat_13x9.png', png_join(insert_chunk(base, b'IEND', b'zTXt', b'Comment\0\0' + bomb)),
         note='after the image data: Pillow refuses it while loading')
    case('png_iccp_bomb_13x9.png', png_join(insert_chunk(base, b'IDAT', b'iCCP', b'icc\0\0' + bomb)))
    case('png_itxt_bomb_13x9.png', png_join(insert_chunk(base, b'IDAT', b'iTXt', b'Comment\0\1\0\0\0' + bomb)))
    case('png_itxt_method_1_13x9.png', png_join(insert_chunk(base, b'IDAT', b'iTXt', b'Comment\0\1\1\0\0' + bomb)),
         note='iTXt with an unknown compression method is ignored')
    case('png_ztxt_method_1_13x9.png', png_join(insert_chunk(base, b'IDAT', b'zTXt', b'Comment\0\1' + b'xyz')),
         note='unknown zTXt compression method')
    case('png_iccp_method_1_13x9.png', png_join(insert_chunk(base, b'IDAT', b'iCCP', b'icc\0\1' + zlib.compress(b'x'))),
         note='Pillow 9.4 reads the iCCP method from the separator byte, so never refuses it')
    case('png_ztxt_corrupt_13x9.png', png_join(insert_chunk(base, b'IDAT', b'zTXt', b'Comment\0\0not zlib')),
         note='corrupt zlib text is dropped')
    many = base
    one = zlib.compress(b'a' * (mb - 16), 9)
    for _ in range(65):
        many = insert_chunk(many, b'IDAT', b'zTXt', b'Comment\0\0' + one)
    case('png_text_memory_13x9.png', png_join(many), note='65 MiB of text: over MAX_TEXT_MEMORY (64 MiB)')
    for label, patch in (('compression_1', (10, 1)), ('filter_1', (11, 1)), ('interlace_2', (12, 2))):
        h = bytearray(base[ihdr][1])
        h[patch[0]] = patch[1]
        case(f'png_ihdr_{label}_13x9.png', png_join([(b'IHDR', bytes(h))] + base[1:]))
    case('png_srgb_empty_13x9.png', png_join(insert_chunk(base, b'IDAT', b'sRGB', b'')))
    case('png_phys_short_13x9.png', png_join(insert_chunk(base, b'IDAT', b'pHYs', b'\0' * 5)))
    case('png_gama_short_13x9.png', png_join(insert_chunk(base, b'IDAT', b'gAMA', b'\0' * 2)))
    case('png_trns_short_13x9.png', png_join(insert_chunk(base, b'IDAT', b'tRNS', b'\0' * 2)))
    case('png_bad_chunk_type_13x9.png', png_join(insert_chunk(base, b'IDAT', b'I DT', b'xx')))
    case('png_bad_chunk_type_after_idat_13x9.png', png_join(insert_chunk(base, b'IEND', b'I DT', b'xx')))
    full = png_join(base)
    case('png_no_iend_13x9.png', full[:-12], note='ends after the image data')
    case('png_truncated_chunk_after_idat_13x9.png', full[:-12] + struct.pack('>I', 1000) + b'tEXtabc',
         note='a chunk after the image data that runs past the end')
    # zlib streams Pillow reads scanline by scanline and stops reading once it has them all (ImageIO checks them
    # to the end): a bad checksum after data that runs on past the last scanline, a stream that ends at a
    # scanline boundary (the rows not reached stay zero)
    raw = b''.join(b'\0' + np.asarray(im)[r].tobytes() for r in range(9))
    no_idat = [c for c in base if c[0] != b'IDAT']

    def with_idat(z):
        return png_join(no_idat[:-1] + [(b'IDAT', z)] + no_idat[-1:])

    def bad_adler(z):
        return z[:-4] + bytes(x ^ 0x55 for x in z[-4:])

    case('png_zlib_bad_check_after_extra_13x9.png', with_idat(bad_adler(zlib.compress(raw + b'\0' * 40))),
         note='40 bytes past the last scanline, then a bad zlib checksum: Pillow never reaches it')
    case('png_zlib_bad_check_13x9.png', with_idat(bad_adler(zlib.compress(raw))),
         note='a bad zlib checksum right after the last scanline: Pillow reaches it and refuses')
    row = len(raw) // 9
    case('png_zlib_ends_at_row_5_13x9.png', with_idat(zlib.compress(raw[:5 * row])),
         note='the zlib stream ends after 5 of 9 scanlines: Pillow keeps the 4 others black')
    case('png_zlib_ends_mid_row_13x9.png', with_idat(zlib.compress(raw[:5 * row + 7])), note='refused')
    # palette images: ImageIO reads every chunk to IEND for them, Pillow stops after the image data
    buf = io.BytesIO()
    im.quantize(7).save(buf, 'PNG', transparency=2)
    pal = png_chunks(buf.getvalue())
    case('png_palette_13x9.png', png_join(pal))
    case('png_palette_no_iend_13x9.png', png_join(pal)[:-12], note='palette image ending after the image data')
    case('png_palette_cut_iend_13x9.png', png_join(pal)[:-5], note='palette image ending inside IEND')
    case('png_palette_bad_crc_after_idat_13x9.png',
         png_join(insert_chunk(pal, b'IEND', b'tEXt', b'Comment\0after'), bad_crc=(len(pal) - 1,)),
         note='palette image, bad CRC in a chunk after the image data')
    case('png_palette_cut_idat_13x9.png', png_join(pal)[:-20],
         note='palette image cut inside the zlib checksum of its IDAT: the rows are complete')
    case('png_palette_cut_idat_rows_13x9.png', png_join(pal)[:-40], note='palette image cut inside its rows')
    idx = np.asarray(im.quantize(7))
    depth = [d for t, d in pal if t == b'IHDR'][0][8]
    assert depth in (4, 8)
    if depth == 4:
        idx = np.pad(idx, ((0, 0), (0, idx.shape[1] % 2)))
        idx = (idx[:, 0::2] << 4) | idx[:, 1::2]
    praw = b''.join(b'\0' + idx[r].astype(np.uint8).tobytes() for r in range(9))
    pal_no_idat = [c for c in pal if c[0] != b'IDAT']
    case('png_palette_zlib_ends_at_row_3_13x9.png',
         png_join(pal_no_idat[:-1] + [(b'IDAT', zlib.compress(praw[:3 * (len(praw) // 9)]))] + pal_no_idat[-1:]),
         note='palette image whose zlib stream ends after 3 scanlines: the rest is palette index 0')
    case('png_cut_idat_13x9.png', full[:-20], note='cut inside the zlib checksum of its IDAT')
    case('png_cut_idat_rows_13x9.png', full[:-40], note='cut inside its rows')

    # APNG: two frames; then sequence numbers broken in several places
    frames = [Image.fromarray(rng.integers(0, 256, size=(9, 13, 3), dtype=np.uint8)) for _ in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, 'PNG', save_all=True, append_images=frames[1:], duration=100)
    apng = png_chunks(buf.getvalue())
    case('apng_13x9.png', png_join(apng))

    def reseq(chunks, which, seq):
        out = []
        k = 0
        for t, d in chunks:
            if t in (b'fcTL', b'fdAT'):
                if k == which:
                    d = struct.pack('>I', seq) + d[4:]
                k += 1
            out.append((t, d))
        return out

    seqs = [t for t, _ in apng if t in (b'fcTL', b'fdAT')]
    case('apng_first_fctl_seq_1_13x9.png', png_join(reseq(apng, 0, 1)), note='the first fcTL must be 0')
    case('apng_second_fctl_seq_gap_13x9.png', png_join(reseq(apng, 1, 7)),
         note='a gap in the second frame: Pillow reads the first frame without looking further')
    case('apng_fdat_seq_error_13x9.png', png_join(reseq(apng, 2, 9)))
    fctl0 = [i for i, (t, _) in enumerate(apng) if t == b'fcTL'][0]
    big = bytearray(apng[fctl0][1])
    big[4:8] = struct.pack('>I', 14)
    case('apng_first_frame_too_wide_13x9.png', png_join(apng[:fctl0] + [(b'fcTL', bytes(big))] + apng[fctl0 + 1:]),
         note='the first frame is wider than the image')
    # the default image is not part of the animation (IDAT before the first fcTL), first fcTL numbered 1
    idat = [t for t, _ in apng].index(b'IDAT')
    moved = apng[:fctl0] + [apng[idat]] + [c for i, c in enumerate(apng) if i > fctl0 and i != idat]
    moved = [(t, d) for t, d in moved]
    case('apng_default_image_seq_1_13x9.png', png_join(reseq(apng[:fctl0] + [apng[idat]] +
                                                             [apng[fctl0]] + apng[idat + 1:], 0, 1)),
         note='the default image is not a frame; its fcTL (after IDAT) numbered 1')


# ---------------------------------------------------------------------------------------------------------- GIF

def lzw_literals(pixels, bits):
    """LZW codes, one literal per pixel, with the code-size growth of Pillow's decoder, packed into sub-blocks."""
    clear, end = 1 << bits, (1 << bits) + 1
    size, nxt, first = bits + 1, clear + 2, True
    acc = nbits = 0
    out = bytearray()

    def emit(code, n):
        nonlocal acc, nbits
        acc |= code << nbits
        nbits += n
        while nbits >= 8:
            out.append(acc & 255)
            acc >>= 8
            nbits -= 8

    emit(clear, size)
    for px in pixels:
        emit(int(px), size)
        if first:
            first = False
        elif nxt < 4096:
            if nxt == (1 << size) - 1 and size < 12:
                size += 1
            nxt += 1
    if end < (1 << size):
        emit(end, size)
    if nbits:
        out.append(acc & 255)
    return b''.join(bytes([len(out[i:i + 255])]) + bytes(out[i:i + 255]) for i in range(0, len(out), 255)) + b'\0'


def gif(w, h, frame, bits, global_pal=None, local_pal=None, pos=(0, 0), interlace=False, trns=None, extra=b'',
        data=None):
    fh, fw = frame.shape
    flags = 0
    gp = b''
    if global_pal is not None:
        n = max(1, (len(global_pal) // 3 - 1).bit_length())
        flags = 0x80 | (n - 1)
        gp = global_pal + b'\0' * (3 * (1 << n) - len(global_pal))
    out = b'GIF89a' + struct.pack('<HHBBB', w, h, flags, 0, 0) + gp + extra
    if trns is not None:
        out += b'!\xf9\x04' + bytes([1, 0, 0, trns]) + b'\0'
    lflags = 0x40 if interlace else 0
    lp = b''
    if local_pal is not None:
        n = max(1, (len(local_pal) // 3 - 1).bit_length())
        lflags |= 0x80 | (n - 1)
        lp = local_pal + b'\0' * (3 * (1 << n) - len(local_pal))
    out += b',' + struct.pack('<HHHHB', pos[0], pos[1], fw, fh, lflags) + lp
    if interlace:
        rows = list(range(0, fh, 8)) + list(range(4, fh, 8)) + list(range(2, fh, 4)) + list(range(1, fh, 2))
        frame = frame[rows]
    out += bytes([bits]) + (lzw_literals(frame.reshape(-1), bits) if data is None else data) + b';'
    return out


def gif_cases():
    rng = np.random.default_rng(31)
    w, h = 13, 9
    pal4 = bytes(rng.integers(0, 256, size=12, dtype=np.uint8))
    pal256 = bytes(rng.integers(0, 256, size=768, dtype=np.uint8))
    idx = rng.integers(0, 4, size=(h, w))
    for bits in (2, 3, 8):
        case(f'gif_lzw_bits_{bits}_13x9.gif', gif(w, h, idx, bits, pal4))
    case('gif_lzw_bits_0_13x9.gif', gif(w, h, np.zeros((h, w), dtype=int), 0, pal4),
         note='minimum code size 0: Pillow decodes it (codes of 1 bit, index 0 only)')
    case('gif_lzw_bits_1_13x9.gif', gif(w, h, idx % 2, 1, pal4), note='minimum code size 1 (2-bit codes, no growth)')
    for bits in (9, 10, 12):
        big = rng.integers(0, 256, size=(h, w))
        case(f'gif_lzw_bits_{bits}_13x9.gif', gif(w, h, big, bits, pal256),
             note=f'minimum code size {bits} (out of the GIF range): Pillow decodes it')
    case('gif_lzw_bits_13_13x9.gif', gif(w, h, idx, 12, pal4)[:0] or
         gif(w, h, idx, 12, pal4).replace(b'\x0c' + lzw_literals(idx.reshape(-1), 12),
                                           b'\x0d' + lzw_literals(idx.reshape(-1), 12)),
         note='minimum code size 13: Pillow refuses it')
    case('gif_interlaced_13x9.gif', gif(w, h, idx, 2, pal4, interlace=True))
    case('gif_interlaced_5x3.gif', gif(5, 3, idx[:3, :5], 2, pal4, interlace=True))
    case('gif_local_palette_13x9.gif', gif(w, h, idx, 2, pal4, local_pal=pal4[::-1]))
    case('gif_no_palette_13x9.gif', gif(w, h, idx * 60, 8), note='no palette: mode L, grey = index')
    grey = bytes(i // 3 for i in range(12))
    case('gif_grey_ramp_palette_13x9.gif', gif(w, h, idx, 2, grey), note='an identity palette: mode L')
    case('gif_grey_local_palette_13x9.gif', gif(w, h, idx, 2, pal4, local_pal=grey),
         note='an identity local palette: mode L, the global palette is not used')
    case('gif_short_palette_13x9.gif', gif(w, h, idx, 2, pal4[:6]), note='indices 2 and 3 beyond a 2-colour palette')
    case('gif_frame_outside_screen_13x9.gif', gif(10, 6, idx[:6, :9], 2, pal4, pos=(5, 4)),
         note='a 9x6 frame at (5, 4) on a 10x6 screen: Pillow enlarges the image to 14x10')
    case('gif_offset_trns_13x9.gif', gif(w, h, idx[:4, :5], 2, pal4, pos=(3, 2), trns=2))
    ext = b'!\xfe\x05hello\x00' + b'!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00' + b'!\x01\x03abc\x00'
    case('gif_extensions_13x9.gif', gif(w, h, idx, 2, pal4, extra=ext))
    case('gif_netscape_without_data_13x9.gif', gif(w, h, idx, 2, pal4, extra=b'!\xff\x0bNETSCAPE2.0\x00'),
         note='Pillow fails on len(None)')
    full = lzw_literals(idx.reshape(-1), 2)
    short = lzw_literals(idx.reshape(-1)[:50], 2)
    case('gif_end_code_early_13x9.gif', gif(w, h, idx, 2, pal4, data=short), note='the data ends after 50 pixels')
    case('gif_truncated_13x9.gif', gif(w, h, idx, 2, pal4)[:-12])
    case('gif_code_beyond_table_13x9.gif', gif(w, h, idx, 2, pal4, data=b'\x02\xcc\x01\x00'),
         note='clear, 1, then code 7 beyond the table (next is 6)')


# --------------------------------------------------------------------------------------------------------- WebP

def webp_cases():
    """Container checks only; the VP8/VP8L decoder's own fixtures are tools/make_webp_fixtures.py's."""
    rng = np.random.default_rng(31)
    im = Image.fromarray(rng.integers(0, 256, size=(9, 13, 4), dtype=np.uint8), 'RGBA')
    buf = io.BytesIO()
    im.save(buf, 'WEBP', quality=80)
    data = buf.getvalue()
    assert data[12:16] == b'VP8X'
    case('webp_vp8x_alpha_13x9.webp', data)
    for bit in (0x01, 0x40, 0x80):
        b = bytearray(data)
        b[20] |= bit
        case(f'webp_vp8x_reserved_flag_{bit:02x}_13x9.webp', bytes(b),
             note='a reserved VP8X flag bit: libwebp\'s demuxer refuses the file')


def main():
    fixture_dir.fresh(OUT)
    bmp_cases()
    jpeg_cases()
    png_cases()
    gif_cases()
    webp_cases()
    total = fixture_dir.finish(OUT, 'formats.json', {'pillow': PIL.__version__, 'cases': cases})
    print(f'{len(cases)} cases, {total / 1e3:.1f} kB in {OUT}')
    for c in cases:
        print(f"{c['file']:45s} {c['expect']:8s} {c.get('stage', '')} {c.get('pillow', '')} {'9.4: ' + str(c['pillow94']) if 'pillow94' in c else ''}")


if __name__ == '__main__':
    main()
