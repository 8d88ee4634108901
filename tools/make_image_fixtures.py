#!/usr/bin/python3
"""Generates the image module's fixtures: synthetic test images in every supported format and mode, and what
Pillow 9.4 / torchvision / timm make of them (decoded RGB, resizes, eval tensors).

Run from the repository root (see tools/IMAGE_FIXTURES.md):
    PYTHONPATH=/tmp/timm /usr/bin/python3 tools/make_image_fixtures.py
Writes image/src/test/resources/images/ (images, *.rgb raw HWC uint8, *.npy float32, manifest.json).
"""
import gzip
import io
import os
import struct
import zlib

import numpy as np
import PIL
from PIL import Image, ImageCms, PngImagePlugin

import fixture_dir

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'image', 'src', 'test', 'resources', 'images')
RNG = np.random.default_rng(20261125)
manifest = {'pillow': PIL.__version__, 'decode': [], 'resize': [], 'eval': []}


def synthetic(w, h, seed, noise=12):
    """Gradients, noise, hard-edged shapes and thin 'text-like' strokes."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 255 * x / max(w - 1, 1)
    g = 255 * y / max(h - 1, 1)
    b = 127.5 + 127.5 * np.sin((x + 2 * y) / 5.0)
    img = np.stack([r, g, b], axis=-1)
    img += rng.normal(0, noise, size=img.shape)
    cx, cy = w * 0.6, h * 0.4
    disk = (x - cx) ** 2 + (y - cy) ** 2 < (min(w, h) * 0.25) ** 2
    img[disk] = [250, 20, 40]
    img[(x > w * 0.1) & (x < w * 0.35) & (y > h * 0.55) & (y < h * 0.9)] = [10, 200, 90]
    for k in range(0, w, 7):
        img[(np.abs(x - k) < 0.5) & (y % 11 < 6)] = [0, 0, 0]
    img[::5, :] = np.where((np.arange(w) % 9 < 4)[:, None], [255, 255, 255], img[::5, :])
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def save(name, data):
    if name.endswith('.rgb') or name.endswith('.npy'):
        name, data = name + '.gz', gzip.compress(data, mtime=0)
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


def encode(im, fmt, **kw):
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def png_chunk(tag, data):
    return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)


def raw_png16(arr, color_type, trns=None):
    """A 16-bit PNG written by hand (Pillow cannot write RGB or RGBA at 16 bits, nor tRNS at 16 bits)."""
    h, w = arr.shape[:2]
    rows = arr.reshape(h, -1).astype('>u2').tobytes()
    stride = len(rows) // h
    raw = b''.join(b'\0' + rows[i * stride:(i + 1) * stride] for i in range(h))
    ihdr = struct.pack('>IIBBBBB', w, h, 16, color_type, 0, 0, 0)
    extra = png_chunk(b'tRNS', struct.pack('>H', trns)) if trns is not None else b''
    return b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', ihdr) + extra + png_chunk(b'IDAT', zlib.compress(raw)) \
        + png_chunk(b'IEND', b'')


def raw_png_interlaced(arr):
    """An 8-bit RGB Adam7-interlaced PNG written by hand (Pillow cannot write interlaced PNGs)."""
    h, w = arr.shape[:2]
    raw = b''
    for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
                           (0, 1, 1, 2)):
        sub = arr[y0::dy, x0::dx]
        if sub.size:
            raw += b''.join(b'\0' + row.tobytes() for row in sub)
    ihdr = struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 1)
    return b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', ihdr) + png_chunk(b'IDAT', zlib.compress(raw)) \
        + png_chunk(b'IEND', b'')


def decode_case(name, data, kind='exact', note=''):
    save(name, data)
    rgb = np.asarray(Image.open(io.BytesIO(data)).convert('RGB'))
    h, w = rgb.shape[:2]
    save(name + '.rgb', rgb.tobytes())
    manifest['decode'].append({'file': name, 'width': w, 'height': h, 'kind': kind, 'note': note,
                              'expected': name + '.rgb.gz'})


def decode_cases():
    base = synthetic(37, 23, 1)
    rgb = Image.fromarray(base)
    alpha = Image.fromarray(RNG.integers(0, 256, size=(23, 37), dtype=np.uint8))
    rgba = rgb.copy()
    rgba.putalpha(alpha)
    gray = rgb.convert('L')
    la = gray.copy()
    la.putalpha(alpha)
    pal = rgb.convert('P', palette=Image.Palette.ADAPTIVE, colors=50)
    srgb = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes())
    srgb[24:36] = bytes(12)  # creation date: keep the fixtures reproducible
    srgb[84:100] = bytes(16)  # profile id (an MD5 that would include the date)
    srgb = bytes(srgb)

    decode_case('png_rgb_37x23.png', encode(rgb, 'PNG'))
    decode_case('png_rgba_37x23.png', encode(rgba, 'PNG'))
    decode_case('png_l_37x23.png', encode(gray, 'PNG'))
    decode_case('png_la_37x23.png', encode(la, 'PNG'))
    decode_case('png_p_37x23.png', encode(pal, 'PNG'))
    decode_case('png_p_trns_37x23.png', encode(pal, 'PNG', transparency=3))
    decode_case('png_rgb_trns_37x23.png', encode(rgb, 'PNG', transparency=tuple(int(v) for v in base[0, 0])))
    decode_case('png_1bit_37x23.png', encode(gray.convert('1'), 'PNG'))
    g16 = (np.arange(23 * 37).reshape(23, 37) * 97 % 65536).astype(np.uint16)
    g16[:3, :] = np.arange(37) * 7  # some values below 255 (the rest saturate, as in Pillow)
    decode_case('png_i16_37x23.png', encode(Image.fromarray(g16, 'I;16'), 'PNG'))
    decode_case('png_i16_trns_37x23.png', raw_png16(g16, 0, trns=int(g16[0, 5])))
    decode_case('png_rgb16_37x23.png', raw_png16(RNG.integers(0, 65536, size=(23, 37, 3)), 2))
    decode_case('png_rgba16_37x23.png', raw_png16(RNG.integers(0, 65536, size=(23, 37, 4)), 6))
    decode_case('png_la16_37x23.png', raw_png16(RNG.integers(0, 65536, size=(23, 37, 2)), 4))
    info = PngImagePlugin.PngInfo()
    info.add(b'gAMA', struct.pack('>I', 100000))
    decode_case('png_gamma_icc_37x23.png', encode(rgb, 'PNG', pnginfo=info, icc_profile=srgb), note='ignored')
    pal16 = rgb.convert('P', palette=Image.Palette.ADAPTIVE, colors=16)
    decode_case('png_p4bit_37x23.png', encode(pal16, 'PNG', bits=4))
    decode_case('png_interlaced_37x23.png', raw_png_interlaced(base))
    decode_case('png_rgb_1x1.png', encode(Image.fromarray(synthetic(1, 1, 2)), 'PNG'))
    decode_case('png_rgb_3x7.png', encode(Image.fromarray(synthetic(3, 7, 3)), 'PNG'))

    decode_case('bmp_rgb_37x23.bmp', encode(rgb, 'BMP'))
    decode_case('bmp_l_37x23.bmp', encode(gray, 'BMP'))
    decode_case('bmp_p_37x23.bmp', encode(pal, 'BMP'))
    decode_case('bmp_rgba_37x23.bmp', encode(rgba, 'BMP'))
    decode_case('bmp_1bit_37x23.bmp', encode(gray.convert('1'), 'BMP'))

    decode_case('gif_p_37x23.gif', encode(pal, 'GIF'))
    decode_case('gif_p_trns_37x23.gif', encode(pal, 'GIF', transparency=3))
    decode_case('gif_l_37x23.gif', encode(gray, 'GIF'))

    # a first frame smaller than the logical screen, at an offset (Pillow's image is the screen)
    small = Image.fromarray(synthetic(9, 5, 8)).convert('P', palette=Image.Palette.ADAPTIVE, colors=12)
    for name, kw in (('gif_offset_frame_13x11.gif', {}), ('gif_offset_frame_trns_13x11.gif', {'transparency': 2})):
        g = bytearray(encode(small, 'GIF', **kw))
        g[6:10] = struct.pack('<HH', 13, 11)
        at = g.index(b'\x2c\x00\x00\x00\x00\x09\x00\x05\x00')
        g[at + 1:at + 5] = struct.pack('<HH', 3, 4)
        decode_case(name, bytes(g), note='frame 9x5 at (3, 4)')
    decode_case('webp_lossless_37x23.webp', encode(rgb, 'WEBP', lossless=True))
    decode_case('webp_lossless_rgba_37x23.webp', encode(rgba, 'WEBP', lossless=True))
    decode_case('webp_lossy_37x23.webp', encode(rgb, 'WEBP', quality=80))

    big = Image.fromarray(synthetic(160, 120, 4))
    decode_case('jpeg_420_160x120.jpg', encode(big, 'JPEG', quality=90), 'jpeg')
    decode_case('jpeg_444_37x23.jpg', encode(rgb, 'JPEG', quality=95, subsampling=0), 'jpeg')
    decode_case('jpeg_422_37x23.jpg', encode(rgb, 'JPEG', quality=85, subsampling=1), 'jpeg')
    decode_case('jpeg_progressive_160x120.jpg', encode(big, 'JPEG', quality=90, progressive=True), 'jpeg')
    decode_case('jpeg_l_37x23.jpg', encode(gray, 'JPEG', quality=90), 'jpeg')
    decode_case('jpeg_cmyk_37x23.jpg', encode(rgb.convert('CMYK'), 'JPEG', quality=95), 'jpeg')
    cmyk = Image.fromarray(RNG.integers(0, 256, size=(23, 37, 4), dtype=np.uint8), 'CMYK')
    decode_case('jpeg_cmyk_noise_37x23.jpg', encode(cmyk, 'JPEG', quality=100, subsampling=0), 'jpeg')
    # YCCK: the same coded data with the Adobe transform flag set to 2, so libjpeg reads it as YCCK
    ycck = bytearray(encode(cmyk, 'JPEG', quality=100, subsampling=0))
    at = ycck.find(b'Adobe')
    assert at > 0 and ycck[at + 11] == 0
    ycck[at + 11] = 2
    decode_case('jpeg_ycck_37x23.jpg', bytes(ycck), 'jpeg', 'Adobe transform 2')
    decode_case('jpeg_icc_37x23.jpg', encode(rgb, 'JPEG', quality=90, icc_profile=srgb), 'jpeg', 'ICC ignored')
    exif = Image.Exif()
    exif[0x0112] = 6
    decode_case('jpeg_exif_rotated_37x23.jpg', encode(rgb, 'JPEG', quality=90, exif=exif.tobytes()), 'jpeg',
                'orientation 6, ignored by convert')
    junk = encode(rgb, 'JPEG', quality=90)
    assert junk.endswith(b'\xff\xd9')
    decode_case('jpeg_extraneous_37x23.jpg', junk[:-2] + b'\x00\x00\x00\xff\xd9', 'jpeg',
                'libjpeg warns "Corrupt JPEG data: 3 extraneous bytes", Pillow decodes')
    decode_case('jpeg_3x7.jpg', encode(Image.fromarray(synthetic(3, 7, 5)), 'JPEG', quality=90), 'jpeg')


FILTERS = {
    'nearest': Image.Resampling.NEAREST, 'bilinear': Image.Resampling.BILINEAR,
    'bicubic': Image.Resampling.BICUBIC, 'lanczos': Image.Resampling.LANCZOS,
    'box': Image.Resampling.BOX, 'hamming': Image.Resampling.HAMMING,
}


def resize_cases():
    sources = {
        'src_64x43': synthetic(64, 43, 6),
        'src_255x171': synthetic(255, 171, 4),
        'src_3x7': synthetic(3, 7, 3),
    }
    targets = {
        'src_64x43': [(17, 9), (64, 100), (100, 43), (90, 61), (31, 47), (1, 1), (63, 43), (64, 43)],
        'src_255x171': [(73, 49), (300, 40)],
        'src_3x7': [(10, 3), (1, 20), (7, 7)],
    }
    for src, arr in sources.items():
        save(src + '.png', encode(Image.fromarray(arr), 'PNG'))
        for (w, h) in targets[src]:
            for fname, f in FILTERS.items():
                out = np.asarray(Image.fromarray(arr).resize((w, h), f))
                name = f'resize_{src}_{fname}_{w}x{h}.rgb'
                save(name, out.tobytes())
                manifest['resize'].append({'source': src + '.png', 'filter': fname, 'width': w, 'height': h,
                                           'expected': name + '.gz'})


def resize_sweep():
    """Many random crops of src_255x171 resized to random sizes; only CRC-32s are stored."""
    src = np.asarray(Image.open(os.path.join(OUT, 'src_255x171.png')).convert('RGB'))
    rng = np.random.default_rng(99)
    cases = []
    for i in range(240):
        w, h = int(rng.integers(1, 256)), int(rng.integers(1, 172))
        x0, y0 = int(rng.integers(0, 256 - w)), int(rng.integers(0, 172 - h))
        tw, th = int(rng.integers(1, 400)), int(rng.integers(1, 400))
        if i % 4 == 0:
            tw = max(1, w // int(rng.integers(2, 40)))
        fname = list(FILTERS)[i % len(FILTERS)]
        crop = Image.fromarray(np.ascontiguousarray(src[y0:y0 + h, x0:x0 + w]))
        out = np.asarray(crop.resize((tw, th), FILTERS[fname]))
        cases.append({'x': x0, 'y': y0, 'w': w, 'h': h, 'tw': tw, 'th': th, 'filter': fname,
                      'crc32': zlib.crc32(out.tobytes())})
    manifest['resize_sweep'] = {'source': 'src_255x171.png', 'cases': cases}


def eval_sweep():
    """timm's eval tensors of two 640x480 JPEGs (landscape and portrait); only CRC-32s of the float32 bytes."""
    from timm.data import create_transform, resolve_data_config
    from timm.data.constants import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD
    from timm.data.constants import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD
    files = []
    for name, (w, h) in (('photo_640x480.jpg', (640, 480)), ('photo_480x640.jpg', (480, 640))):
        save(name, encode(Image.fromarray(synthetic(w, h, 11, noise=2)), 'JPEG', quality=60))
        files.append(name)
    configs = [((3, 224, 224), 0.875, 'center', 'bicubic', IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD),
               ((3, 224, 224), 0.95, 'center', 'bilinear', IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD),
               ((3, 256, 256), 1.0, 'center', 'bicubic', IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD),
               ((3, 192, 256), 0.9, 'center', 'bicubic', IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD),
               ((3, 224, 224), 0.875, 'squash', 'lanczos', IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD),
               ((3, 224, 224), 0.875, 'border', 'hamming', IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD)]
    cases = []
    for f in files:
        img = Image.open(os.path.join(OUT, f)).convert('RGB')
        for size, crop, mode, interp, mean, std in configs:
            t = create_transform(**resolve_data_config({'input_size': size, 'crop_pct': crop, 'crop_mode': mode,
                                                        'interpolation': interp, 'mean': mean, 'std': std}))
            x = t(img).numpy()
            cases.append({'image': f, 'height': size[1], 'width': size[2], 'crop_pct': crop, 'crop_mode': mode,
                          'interpolation': interp, 'mean': list(mean), 'std': list(std),
                          'crc32': zlib.crc32(x.astype('<f4').tobytes()), 'sum': float(x.astype(np.float64).sum())})
    manifest['eval_sweep'] = cases


def eval_cases():
    import torch
    from timm.data import create_transform, resolve_data_config
    from timm.data.constants import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD
    from timm.data.constants import IMAGENET_INCEPTION_MEAN, IMAGENET_INCEPTION_STD
    land = 'src_255x171.png'
    port = 'eval_171x255.png'
    save(port, encode(Image.fromarray(synthetic(171, 255, 7)), 'PNG'))
    tiny = 'src_3x7.png'
    jpg = 'jpeg_420_160x120.jpg'
    configs = [
        ('imagenet_bicubic_224', (3, 224, 224), 0.875, 'center', 'bicubic', IMAGENET_DEFAULT_MEAN,
         IMAGENET_DEFAULT_STD, [land]),
        ('inception_bilinear_96', (3, 96, 96), 0.95, 'center', 'bilinear', IMAGENET_INCEPTION_MEAN,
         IMAGENET_INCEPTION_STD, [land, tiny, jpg]),
        ('nonsquare_bicubic_80x112', (3, 80, 112), 0.9, 'center', 'bicubic', IMAGENET_DEFAULT_MEAN,
         IMAGENET_DEFAULT_STD, [port]),
        ('squash_bicubic_72x96', (3, 72, 96), 0.875, 'squash', 'bicubic', IMAGENET_DEFAULT_MEAN,
         IMAGENET_DEFAULT_STD, [land]),
        ('squash_lanczos_64', (3, 64, 64), 1.0, 'squash', 'lanczos', IMAGENET_DEFAULT_MEAN,
         IMAGENET_DEFAULT_STD, [tiny]),
        ('border_bicubic_64x80', (3, 64, 80), 0.9, 'border', 'bicubic', IMAGENET_DEFAULT_MEAN,
         IMAGENET_DEFAULT_STD, [port]),
        ('center_pad_crop1.2_64', (3, 64, 64), 1.2, 'center', 'bilinear', IMAGENET_DEFAULT_MEAN,
         IMAGENET_DEFAULT_STD, [port, tiny]),
        ('center_nearest_crop1_64', (3, 64, 64), 1.0, 'center', 'nearest', IMAGENET_DEFAULT_MEAN,
         IMAGENET_DEFAULT_STD, [port]),
    ]
    for name, size, crop, mode, interp, mean, std, images in configs:
        cfg = resolve_data_config({'input_size': size, 'crop_pct': crop, 'crop_mode': mode,
                                   'interpolation': interp, 'mean': mean, 'std': std})
        t = create_transform(**cfg)
        for img in images:
            x = t(Image.open(os.path.join(OUT, img)).convert('RGB'))
            assert x.dtype == torch.float32 and tuple(x.shape) == size
            out = f'eval_{name}_{img.rsplit(".", 1)[0]}.npy.gz'
            buf = io.BytesIO()
            np.save(buf, x.numpy()[None])
            save(out[:-3], buf.getvalue())
            manifest['eval'].append({'image': img, 'height': size[1], 'width': size[2], 'crop_pct': crop,
                                     'crop_mode': mode, 'interpolation': interp, 'mean': list(mean),
                                     'std': list(std), 'expected': out, 'transform': repr(t).replace('\n', ' ')})
    # the config of a registered model, resolved by timm itself
    import timm
    model = timm.create_model('mobilenetv3_large_100.ra_in1k', pretrained=False)
    cfg = resolve_data_config({}, model=model)
    x = create_transform(**cfg)(Image.open(os.path.join(OUT, land)).convert('RGB'))
    same = os.path.join(OUT, 'eval_imagenet_bicubic_224_src_255x171.npy.gz')
    with gzip.open(same) as f:
        assert np.array_equal(np.load(f)[0], x.numpy()), 'the model config should equal imagenet_bicubic_224'
    manifest['model_eval'] = {'model': 'mobilenetv3_large_100.ra_in1k', 'image': land,
                              'expected': os.path.basename(same),
                              'config': {k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items()}}
    # the configs timm resolves for a few tags, at the default and at the recommended test size
    manifest['model_configs'] = []
    for name in ['mobilenetv3_large_100.ra_in1k', 'mobilenetv2_100.ra_in1k', 'tf_mobilenetv3_small_100.in1k',
                 'mobilenetv1_125.ra4_e3600_r224_in1k', 'mobilenetv3_large_150d.ra4_e3600_r256_in1k',
                 'mobilenetv3_large_100.miil_in21k']:
        model = timm.create_model(name, pretrained=False)
        for test in (False, True):
            cfg = resolve_data_config({}, model=model, use_test_size=test)
            manifest['model_configs'].append({'model': name, 'use_test_size': test, 'config': {
                k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items()}})


def main():
    fixture_dir.fresh(OUT)
    decode_cases()
    resize_cases()
    resize_sweep()
    eval_cases()
    eval_sweep()
    total = fixture_dir.finish(OUT, 'manifest.json', manifest)
    print(f'{len(os.listdir(OUT))} files, {total / 1e6:.2f} MB in {OUT}')


if __name__ == '__main__':
    main()
