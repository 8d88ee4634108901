"""Reference outputs of the PIL image ops behind timm's train transforms, with FIXED parameters.

Run: PYTHONPATH=/tmp/timm /usr/bin/python3 tools/make_augment_fixtures.py
Writes data/src/test/resources/augment/: three small input PNGs, one PNG per (input, case) and cases.txt
(one line per case: name input op args...). The Java ops in dev.mobilenet.data.PilOps are tested against them.
"""
import os

import numpy as np
from PIL import Image
import torchvision.transforms.functional as F
from timm.data import auto_augment as aa

OUT = os.path.join(os.path.dirname(__file__), '..', 'data', 'src', 'test', 'resources', 'augment')
FILL = (124, 116, 104)  # timm's img_mean for the ImageNet mean: round(255 * mean)


def inputs():
    rng = np.random.RandomState(1234)
    h, w = 24, 32
    y, x = np.mgrid[0:h, 0:w]
    a = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), (x * y) % 256], axis=-1).astype(np.uint8)
    a[6:14, 10:20] = (250, 30, 60)
    b = rng.randint(0, 256, size=(13, 17, 3)).astype(np.uint8)
    c = (60 + rng.randint(0, 120, size=(20, 20, 3))).astype(np.uint8)
    c[5:9] = (90, 140, 170)
    return {'a': Image.fromarray(a, 'RGB'), 'b': Image.fromarray(b, 'RGB'), 'c': Image.fromarray(c, 'RGB')}


BIL = Image.BILINEAR
BIC = Image.BICUBIC
NAMES = {BIL: 'bilinear', BIC: 'bicubic'}

CASES = [
    ('autocontrast', lambda im: aa.auto_contrast(im), 'autocontrast'),
    ('equalize', lambda im: aa.equalize(im), 'equalize'),
    ('invert', lambda im: aa.invert(im), 'invert'),
    ('rotate17_bilinear', lambda im: aa.rotate(im, 17, fillcolor=FILL, resample=BIL), 'rotate 17 bilinear'),
    ('rotate-23.5_bicubic', lambda im: aa.rotate(im, -23.5, fillcolor=FILL, resample=BIC), 'rotate -23.5 bicubic'),
    ('rotate180_bilinear', lambda im: aa.rotate(im, 180, fillcolor=FILL, resample=BIL), 'rotate 180 bilinear'),
    ('posterize4', lambda im: aa.posterize(im, 4), 'posterize 4'),
    ('posterize1', lambda im: aa.posterize(im, 1), 'posterize 1'),
    ('posterize0', lambda im: aa.posterize(im, 0), 'posterize 0'),
    ('solarize128', lambda im: aa.solarize(im, 128), 'solarize 128'),
    ('solarize230', lambda im: aa.solarize(im, 230), 'solarize 230'),
    ('solarizeadd99', lambda im: aa.solarize_add(im, 99), 'solarizeadd 99 128'),
    ('color1.6', lambda im: aa.color(im, 1.6), 'color 1.6'),
    ('color0.3', lambda im: aa.color(im, 0.3), 'color 0.3'),
    ('contrast0.4', lambda im: aa.contrast(im, 0.4), 'contrast 0.4'),
    ('contrast1.7', lambda im: aa.contrast(im, 1.7), 'contrast 1.7'),
    ('brightness1.3', lambda im: aa.brightness(im, 1.3), 'brightness 1.3'),
    ('brightness0.6', lambda im: aa.brightness(im, 0.6), 'brightness 0.6'),
    ('sharpness1.7', lambda im: aa.sharpness(im, 1.7), 'sharpness 1.7'),
    ('sharpness0.2', lambda im: aa.sharpness(im, 0.2), 'sharpness 0.2'),
    ('shearx0.2_bicubic', lambda im: aa.shear_x(im, 0.2, fillcolor=FILL, resample=BIC), 'shearx 0.2 bicubic'),
    ('sheary-0.25_bilinear', lambda im: aa.shear_y(im, -0.25, fillcolor=FILL, resample=BIL),
     'sheary -0.25 bilinear'),
    ('translatex0.3_bilinear', lambda im: aa.translate_x_rel(im, 0.3, fillcolor=FILL, resample=BIL),
     'translatexrel 0.3 bilinear'),
    ('translatey-0.2_bicubic', lambda im: aa.translate_y_rel(im, -0.2, fillcolor=FILL, resample=BIC),
     'translateyrel -0.2 bicubic'),
    ('hflip', lambda im: F.hflip(im), 'hflip'),
    ('resizedcrop_bilinear', lambda im: F.resized_crop(im, 2, 3, 9, 11, [16, 16], F.InterpolationMode.BILINEAR),
     'resizedcrop 2 3 9 11 16 16 bilinear'),
    ('resizedcrop_bicubic', lambda im: F.resized_crop(im, 1, 0, 12, 7, [10, 14], F.InterpolationMode.BICUBIC),
     'resizedcrop 1 0 12 7 10 14 bicubic'),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    lines = []
    for key, im in inputs().items():
        im.save(os.path.join(OUT, f'in_{key}.png'))
        for name, fn, spec in CASES:
            out = fn(im.copy())
            assert out.mode == 'RGB'
            fname = f'{key}_{name}.png'
            out.save(os.path.join(OUT, fname))
            lines.append(f'{fname} in_{key}.png {spec}')
    with open(os.path.join(OUT, 'cases.txt'), 'w') as f:
        f.write('# output input op args (made by tools/make_augment_fixtures.py, Pillow %s)\n' % Image.__version__)
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
