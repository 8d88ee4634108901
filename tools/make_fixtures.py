#!/usr/bin/env python3
"""Generate reference fixtures for the pure-Java MobileNet V1/V2/V3 port.

The fixtures are produced by running timm's own models (imported at run time,
never copied into this repository) with deterministic, generator-defined
weights and inputs.  The fixture files contain only model OUTPUTS; the Java
tests regenerate the weights and inputs with a bit-identical twin of the
generator below.

Recreating the environment
--------------------------
    apt-get install python3-torch python3-torchvision     # Debian; torch 1.13
    git clone https://github.com/huggingface/pytorch-image-models
    cd pytorch-image-models && mkdir -p $DIR && git archive HEAD timm | tar -x -C $DIR
    export TIMM_SRC=$DIR          # directory that CONTAINS the 'timm' package
    /usr/bin/python3 tools/make_fixtures.py            # or: --timm $DIR

Use the system interpreter that owns python3-torch (/usr/bin/python3), not a
pyenv/virtualenv python without torch.  numpy is required; nothing else.
Output goes to core/src/test/resources/fixtures/ (override with --out).
The manifest records the torch and timm versions that produced the fixtures.

Deterministic weights / inputs (spec shared with the Java twin)
---------------------------------------------------------------
All integer arithmetic is unsigned 64-bit with wraparound.

    splitmix64(x):  z = x + 0x9E3779B97F4A7C15
                    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
                    z = (z ^ (z >> 27)) * 0x94D049BB133111EB
                    return z ^ (z >> 31)
    fnv1a64(s): h = 0xcbf29ce484222325; for each byte b of s.encode('utf-8'): h = (h ^ b) * 0x100000001b3
    stream(seed, key): base = splitmix64(seed ^ fnv1a64(key))
        u_i = float(splitmix64(base + i) >> 40) * 2**-24       # i = 0..numel-1, exact float32 in [0,1)
        s_i = float32(2*u_i - 1)                                 # exact, in [-1, 1)

Per state-dict entry (key, shape) of the timm model, in float32 arithmetic
(numpy float32 arrays times np.float32 scalars, so rounding is IEEE single):
- key ends with `num_batches_tracked`: leave untouched (int64 0).
- key ends with `.running_var`: `np.float32(0.5) + u` (u as float32).
- key ends with `.running_mean`: `np.float32(0.1) * s`.
- 1-D key ending `.weight` (BatchNorm gamma): `np.float32(1.0) + np.float32(0.25) * s`.
- key ending `.bias` (any): `np.float32(0.1) * s`.
- weight with >= 2 dims: `s * np.float32(math.sqrt(5.0 / fan_in))` where fan_in = product of shape[1:].
Input tensor for a case: key `"input"`, shape [N,3,H,W], value `s` (same stream with the case seed).
The values are laid out in row-major (C) order of the tensor shape, i = flat index.

Clarifications (not changing the spec): the weight scale is computed in double
precision (math.sqrt(5.0 / fan_in), fan_in an integer) and then rounded once to
float32; the key string hashed is exactly the state-dict key (e.g.
"blocks.0.0.conv_dw.weight"); the weights of a case use that case's seed and
always come from the full classification model's state dict (for the
features_only cases they are loaded with strict=False).

See tools/FIXTURES.md for the fixture layout.
"""

import argparse
import json
import math
import os
import re
import struct
import sys
import time
import warnings

import numpy as np

# --------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------
MASK64 = (1 << 64) - 1
_U = np.uint64


def splitmix64_int(x):
    """Scalar splitmix64 on Python ints (reference / base computation)."""
    z = (x + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def splitmix64_np(x):
    """Vectorised splitmix64 on a numpy uint64 array (wrapping arithmetic)."""
    with np.errstate(over='ignore'):
        z = x + _U(0x9E3779B97F4A7C15)
        z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
        return z ^ (z >> _U(31))


def fnv1a64(s):
    h = 0xcbf29ce484222325
    for b in s.encode('utf-8'):
        h = ((h ^ b) * 0x100000001b3) & MASK64
    return h


def stream_base(seed, key):
    return splitmix64_int((seed & MASK64) ^ fnv1a64(key))


def stream_raw(seed, key, numel):
    base = stream_base(seed, key)
    with np.errstate(over='ignore'):
        idx = _U(base) + np.arange(numel, dtype=np.uint64)
    return splitmix64_np(idx)


def stream_u(seed, key, numel):
    raw = stream_raw(seed, key, numel)
    u = (raw >> _U(40)).astype(np.float32) * np.float32(2.0 ** -24)
    assert u.dtype == np.float32
    return u


def stream_s(seed, key, numel):
    u = stream_u(seed, key, numel)
    s = np.float32(2.0) * u - np.float32(1.0)   # exact
    assert s.dtype == np.float32
    return s


def gen_tensor(seed, key, shape):
    """Value for one state-dict entry (float32 ndarray), or None = leave untouched."""
    shape = tuple(int(d) for d in shape)
    numel = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if key.endswith('num_batches_tracked'):
        return None
    if key.endswith('.running_var'):
        v = np.float32(0.5) + stream_u(seed, key, numel)
    elif key.endswith('.running_mean'):
        v = np.float32(0.1) * stream_s(seed, key, numel)
    elif key.endswith('.weight') and len(shape) == 1:
        v = np.float32(1.0) + np.float32(0.25) * stream_s(seed, key, numel)
    elif key.endswith('.bias'):
        v = np.float32(0.1) * stream_s(seed, key, numel)
    elif key.endswith('.weight') and len(shape) >= 2:
        fan_in = int(np.prod(shape[1:], dtype=np.int64))
        v = stream_s(seed, key, numel) * np.float32(math.sqrt(5.0 / fan_in))
    else:
        raise ValueError('no generator rule for state-dict key %r shape %r' % (key, shape))
    assert v.dtype == np.float32, (key, v.dtype)
    return v.reshape(shape)


def gen_input(seed, shape):
    numel = int(np.prod(shape))
    return stream_s(seed, 'input', numel).reshape(shape)


def generated_state_dict(model, seed):
    """Full state dict with generated values (torch tensors)."""
    import torch
    out = {}
    for k, t in model.state_dict().items():
        v = gen_tensor(seed, k, t.shape)
        out[k] = t.clone() if v is None else torch.from_numpy(np.ascontiguousarray(v))
    return out


def generator_checks():
    seed, key = 7, 'conv_stem.weight'
    raw = stream_raw(seed, key, 5)
    u = stream_u(seed, key, 5)
    s = stream_s(seed, key, 5)
    # self-test of the vectorised path against the scalar reference
    base = stream_base(seed, key)
    for i in range(5):
        assert int(raw[i]) == splitmix64_int((base + i) & MASK64)
        assert float(u[i]) == float(splitmix64_int((base + i) & MASK64) >> 40) * 2.0 ** -24
    checks = {
        'seed': seed,
        'key': key,
        'fnv1a64': str(fnv1a64(key)),
        'base': str(base),
        'raw_first5': [str(int(x)) for x in raw],
        'u_first5': [float(x) for x in u],
        's_first5': [float(x) for x in s],
        'note': 'raw = splitmix64(base + i); u = (raw >> 40) * 2^-24; s = 2u - 1',
    }
    # derived values for each rule (model-independent: only key and shape matter)
    derived = []
    for k, shape in [('conv_stem.weight', [16, 3, 3, 3]),
                     ('bn1.weight', [16]), ('bn1.bias', [16]),
                     ('bn1.running_mean', [16]), ('bn1.running_var', [16]),
                     ('classifier.weight', [1000, 1280]), ('classifier.bias', [1000])]:
        v = gen_tensor(seed, k, shape).reshape(-1)[:4]
        derived.append({
            'key': k, 'shape': shape,
            'first4': [float(x) for x in v],
            'first4_bits': ['0x%08x' % int(b) for b in v.view(np.uint32)],
        })
    x = gen_input(seed, (1, 3, 2, 2)).reshape(-1)[:4]
    derived.append({'key': 'input', 'shape': [1, 3, 2, 2], 'first4': [float(a) for a in x],
                    'first4_bits': ['0x%08x' % int(b) for b in x.view(np.uint32)]})
    checks['derived_seed7'] = derived
    return checks


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------
REGISTERED = [
    'mobilenetv1_100', 'mobilenetv1_100h', 'mobilenetv1_125',
    'mobilenetv2_035', 'mobilenetv2_050', 'mobilenetv2_075', 'mobilenetv2_100',
    'mobilenetv2_110d', 'mobilenetv2_120d', 'mobilenetv2_140',
    'mobilenetv3_large_075', 'mobilenetv3_large_100', 'mobilenetv3_large_150d',
    'mobilenetv3_rw', 'mobilenetv3_small_050', 'mobilenetv3_small_075', 'mobilenetv3_small_100',
    'tf_mobilenetv3_large_075', 'tf_mobilenetv3_large_100', 'tf_mobilenetv3_large_minimal_100',
    'tf_mobilenetv3_small_075', 'tf_mobilenetv3_small_100', 'tf_mobilenetv3_small_minimal_100',
]

# Generated through timm's generator functions, not registered under these names. The name says how:
# the generator from the family, the channel multiplier from the digits, 'h' a V1 head conv, 'tf_' TensorFlow's
# BatchNorm eps and SAME padding.
UNREGISTERED = [
    'mobilenetv1_050', 'mobilenetv2_060', 'mobilenetv3_large_060', 'mobilenetv3_small_125',
    'tf_mobilenetv3_small_050',
    # A sweep of widths timm does not register, to catch rounding edge cases (stem and head rules,
    # make_divisible's 0.9 limit, SE channels from odd expansions, V1's h head).
    'mobilenetv1_025', 'mobilenetv1_175', 'mobilenetv1_035h', 'mobilenetv1_150h', 'mobilenetv2_025',
    'mobilenetv2_085', 'mobilenetv2_130', 'mobilenetv2_200', 'mobilenetv3_large_035', 'mobilenetv3_large_090',
    'mobilenetv3_large_130', 'mobilenetv3_small_035', 'mobilenetv3_small_085', 'mobilenetv3_small_200',
    'mobilenetv3_large_minimal_060', 'tf_mobilenetv3_small_minimal_150', 'tf_mobilenetv3_large_050',
]


def unregistered_generator(name):
    """(timm module, generator function, channel multiplier, extra kwargs) for a name in UNREGISTERED."""
    m = re.fullmatch(r'(tf_)?mobilenetv(1|2|3)(_large|_small)?(_minimal)?_(\d{3})(h?)', name)
    assert m, name
    tf, version, _, _, digits, head = m.groups()
    module = 'mobilenetv3' if version == '3' else 'efficientnet'
    extra = {'head_conv': True} if head else {}
    if tf:
        extra.update(bn_eps=1e-3, pad_type='same')
    return module, '_gen_mobilenet_v' + version, int(digits) / 100, extra

ALL_ARCHS = REGISTERED + UNREGISTERED

EXPECTED_PARAMS = {
    'mobilenetv1_100': 4231976, 'mobilenetv1_100h': 5282600, 'mobilenetv1_125': 6270840,
    'mobilenetv2_035': 1677128, 'mobilenetv2_050': 1968680, 'mobilenetv2_075': 2636424,
    'mobilenetv2_100': 3504872, 'mobilenetv2_110d': 4516520, 'mobilenetv2_120d': 5831144,
    'mobilenetv2_140': 6108776, 'mobilenetv3_large_075': 3993528,
    'mobilenetv3_large_100': 5483032, 'mobilenetv3_large_150d': 14622320,
    'mobilenetv3_rw': 5479918, 'mobilenetv3_small_050': 1593224,
    'mobilenetv3_small_075': 2041872, 'mobilenetv3_small_100': 2542856,
    'tf_mobilenetv3_large_minimal_100': 3924288, 'tf_mobilenetv3_small_minimal_100': 2044736,
    'mobilenetv3_large_100@11221': 18576133,
}
EXPECTED_MACS_224 = {
    'mobilenetv1_100': 568740352, 'mobilenetv2_100': 300774272, 'mobilenetv3_large_100': 216589760,
}
EXPECTED_DEFAULT_SIZE = {'mobilenetv3_large_150d': 256}   # all others: 224

HEAD_PREFIXES = ('conv_head.', 'bn2.', 'classifier.')

PROBLEMS = []   # non-fatal observations for the final summary


def build(name, **kwargs):
    import timm
    if name in UNREGISTERED:
        mod, fn, mult, extra = unregistered_generator(name)
        module = getattr(timm.models, mod)
        kw = dict(extra)
        kw.update(kwargs)
        return getattr(module, fn)(name, mult, **kw)
    return timm.create_model(name, **kwargs)


def builder_desc(name):
    if name in UNREGISTERED:
        mod, fn, mult, extra = unregistered_generator(name)
        args = ', '.join(['%r' % name, repr(mult)] + ['%s=%r' % kv for kv in sorted(extra.items())])
        return 'timm.models.%s.%s(%s)' % (mod, fn, args)
    return 'timm.create_model(%r)' % name


def default_size(model, name):
    size = model.pretrained_cfg.get('input_size', (3, 224, 224))
    h, w = int(size[1]), int(size[2])
    exp = EXPECTED_DEFAULT_SIZE.get(name, 224)
    assert (h, w) == (exp, exp), '%s default input size %r, expected %d' % (name, size, exp)
    return h, w


def count_macs(model, h, w):
    import torch
    import torch.nn as nn
    total = [0]

    def conv_hook(m, inp, out):
        n = out.shape[0]
        kh, kw = m.kernel_size
        total[0] += (out.numel() // n) * (m.in_channels // m.groups) * kh * kw

    def lin_hook(m, inp, out):
        rows = inp[0].numel() // inp[0].shape[-1] // inp[0].shape[0]   # 1 for [N, in]
        total[0] += rows * m.in_features * m.out_features

    handles = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(lin_hook))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, h, w))
    for hd in handles:
        hd.remove()
    return int(total[0])


def arch_info(name):
    m = build(name).eval()
    params = sum(p.numel() for p in m.parameters())
    if name in EXPECTED_PARAMS:
        assert params == EXPECTED_PARAMS[name], '%s params %d != expected %d' % (
            name, params, EXPECTED_PARAMS[name])
    dh, dw = default_size(m, name)
    macs224 = count_macs(m, 224, 224)
    macs_def = macs224 if (dh, dw) == (224, 224) else count_macs(m, dh, dw)
    if name in EXPECTED_MACS_224 and macs224 != EXPECTED_MACS_224[name]:
        msg = '%s MACs@224 %d != expected %d (diff %+d)' % (
            name, macs224, EXPECTED_MACS_224[name], macs224 - EXPECTED_MACS_224[name])
        PROBLEMS.append(msg)
        raise AssertionError(msg)
    fi = [{'num_chs': int(d['num_chs']), 'reduction': int(d['reduction']),
           'module': d['module'], 'stage': int(d['stage'])} for d in m.feature_info]
    return {
        'registered': name not in UNREGISTERED,
        'builder': builder_desc(name),
        'params': int(params),
        'num_features': int(m.num_features),
        'head_hidden_size': int(m.head_hidden_size),
        'default_input_size': [3, dh, dw],
        'macs_224': macs224,
        'macs_default': macs_def,
        'feature_info': fi,
        'state_dict': [[k, list(t.shape)] for k, t in m.state_dict().items()],
    }


# --------------------------------------------------------------------------
# safetensors (hand-written writer/reader)
# --------------------------------------------------------------------------
def write_safetensors(path, tensors):
    """tensors: ordered dict key -> numpy array (float16 or int64)."""
    header = {'__metadata__': {'format': 'pt'}}
    blobs = []
    off = 0
    for k, a in tensors.items():
        a = np.array(a, order='C', copy=True)   # (np.ascontiguousarray would turn 0-d into 1-d)
        if a.dtype == np.float16:
            dt = 'F16'
        elif a.dtype == np.int64:
            dt = 'I64'
        else:
            raise TypeError(a.dtype)
        data = a.astype(a.dtype.newbyteorder('<'), copy=False).tobytes()
        header[k] = {'dtype': dt, 'shape': list(a.shape), 'data_offsets': [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    hb = json.dumps(header, separators=(',', ':')).encode('utf-8')
    hb += b' ' * ((-len(hb)) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, 'rb') as f:
        buf = f.read()
    (n,) = struct.unpack('<Q', buf[:8])
    assert n % 8 == 0
    header = json.loads(buf[8:8 + n].decode('utf-8'))
    data = buf[8 + n:]
    meta = header.pop('__metadata__')
    assert meta == {'format': 'pt'}
    out = {}
    end = 0
    for k, d in header.items():
        dt = {'F16': '<f2', 'I64': '<i8'}[d['dtype']]
        b, e = d['data_offsets']
        assert b == end, 'non-contiguous offsets'
        end = e
        out[k] = np.frombuffer(data[b:e], dtype=dt).reshape(tuple(d['shape']))
    assert end == len(data)
    return out


def savez_deterministic(path, arrays):
    """Like np.savez_compressed (same .npz layout: one '<key>.npy' deflated entry per
    array), but with fixed zip timestamps and no zip64 extras, so re-running the
    generator yields byte-identical files."""
    import io
    import zipfile
    with zipfile.ZipFile(path, 'w') as zf:
        for k, a in arrays.items():
            bio = io.BytesIO()
            np.lib.format.write_array(bio, np.ascontiguousarray(a), allow_pickle=False)
            zi = zipfile.ZipInfo(k + '.npy', date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, bio.getvalue(), compresslevel=9)


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------
def case_file(model, h, w, n, num_classes=1000, suffix=''):
    s = '%s__%dx%d_b%d' % (model, h, w, n)
    if num_classes != 1000:
        s += '_c%d' % num_classes
    return s + suffix + '.npz'


def check_output(tag, key, arr):
    assert np.all(np.isfinite(arr)), '%s %s has non-finite values' % (tag, key)
    mx = float(np.max(np.abs(arr)))
    assert mx > 1e-4, '%s %s is (nearly) all zero: max|x| = %g' % (tag, key, mx)
    return mx


def run_cases(out_dir, only=None):
    import torch
    cases = []
    maxabs = []
    seed_ctr = [1000]

    def next_seed():
        seed_ctr[0] += 1
        return seed_ctr[0]

    def logits_case(name, h, w, n, kind, pre_logits=False, num_classes=1000):
        seed = next_seed()
        kw = {} if num_classes == 1000 else {'num_classes': num_classes}
        m = build(name, **kw).eval()
        m.load_state_dict(generated_state_dict(m, seed), strict=True)
        x = torch.from_numpy(gen_input(seed, (n, 3, h, w)))
        outs = {}
        with torch.no_grad():
            outs['logits'] = m(x).numpy().astype(np.float32)
            if pre_logits:
                outs['pre_logits'] = m.forward_head(m.forward_features(x), pre_logits=True).numpy().astype(np.float32)
        return finish(name, seed, [n, 3, h, w], num_classes, kind, outs,
                      case_file(name, h, w, n, num_classes))

    def finish(name, seed, inp, num_classes, kind, outs, fname, extra=None):
        stats = {}
        for k, v in outs.items():
            stats[k] = check_output(fname, k, v)
        savez_deterministic(os.path.join(out_dir, fname), outs)
        c = {'file': fname, 'kind': kind, 'model': name, 'num_classes': num_classes,
             'input': inp, 'seed': seed,
             'outputs': {k: list(v.shape) for k, v in outs.items()},
             'max_abs': {k: float('%.6g' % s) for k, s in stats.items()}}
        if inp[0] == 2:
            # how much the outputs depend on the input: max |out[0] - out[1]| (see FIXTURES.md)
            c['max_abs_batch_diff'] = {k: float('%.6g' % np.max(np.abs(v[0] - v[1])))
                                       for k, v in outs.items()}
        if extra:
            c.update(extra)
        cases.append(c)
        line = '%-58s ' % fname + '  '.join('%s max|.|=%.4g' % kv for kv in stats.items())
        print(line, flush=True)
        maxabs.append(line)
        return c

    archs = ALL_ARCHS if only is None else [a for a in ALL_ARCHS if a in only]

    # 1. 64x64 batch 2, logits + pre_logits
    for a in archs:
        logits_case(a, 64, 64, 2, 'small', pre_logits=True)
    # 2. odd size 97x83 batch 1
    for a in archs:
        logits_case(a, 97, 83, 1, 'odd')
    # 3. default size (registered only)
    for a in archs:
        if a in UNREGISTERED:
            continue
        s = EXPECTED_DEFAULT_SIZE.get(a, 224)
        logits_case(a, s, s, 1, 'default')
    # 4. 193x171
    for a in ['tf_mobilenetv3_large_100', 'tf_mobilenetv3_small_minimal_100', 'mobilenetv2_110d',
              'mobilenetv1_100h', 'mobilenetv3_rw']:
        if a in archs:
            logits_case(a, 193, 171, 1, 'large_odd')
    # 5. features
    for a in ['mobilenetv1_100', 'mobilenetv2_100', 'mobilenetv2_120d', 'mobilenetv3_large_100',
              'mobilenetv3_small_100', 'tf_mobilenetv3_small_100', 'tf_mobilenetv3_large_minimal_100',
              'mobilenetv3_rw', 'mobilenetv3_large_150d']:
        if a not in archs:
            continue
        seed = next_seed()
        full = build(a).eval()
        sd = generated_state_dict(full, seed)
        del full
        fm = build(a, features_only=True).eval()
        res = fm.load_state_dict(sd, strict=False)
        assert not res.missing_keys, '%s features: missing keys %r' % (a, res.missing_keys)
        bad = [k for k in res.unexpected_keys if not k.startswith(HEAD_PREFIXES)]
        assert not bad, '%s features: unexpected non-head keys %r' % (a, bad)
        x = torch.from_numpy(gen_input(seed, (1, 3, 77, 65)))
        with torch.no_grad():
            feats = fm(x)
        assert len(feats) == 5, (a, len(feats))
        outs = {'features.%d' % i: f.numpy().astype(np.float32) for i, f in enumerate(feats)}
        fi = [{'num_chs': int(d['num_chs']), 'reduction': int(d['reduction']),
               'module': d['module'], 'stage': int(d['stage'])} for d in fm.feature_info.get_dicts()]
        finish(a, seed, [1, 3, 77, 65], 1000, 'features', outs, '%s__features_77x65.npz' % a,
               extra={'features_only': True,
                      'unexpected_head_keys': sorted(res.unexpected_keys),
                      'feature_info': fi})
    # 6. different class count
    if 'mobilenetv3_large_100' in archs:
        logits_case('mobilenetv3_large_100', 64, 64, 1, 'num_classes', num_classes=11221)
    # 7. real safetensors weights file (fp16)
    if 'mobilenetv3_small_050' in archs:
        name, nc = 'mobilenetv3_small_050', 10
        seed = next_seed()
        m = build(name, num_classes=nc).eval()
        tensors = {}
        for k, t in m.state_dict().items():
            v = gen_tensor(seed, k, t.shape)
            if v is None:
                assert t.dtype == torch.int64
                tensors[k] = t.numpy().astype(np.int64)
            else:
                tensors[k] = v.astype(np.float16)
        wname = 'small050_c10.safetensors'
        wpath = os.path.join(out_dir, wname)
        write_safetensors(wpath, tensors)
        back = read_safetensors(wpath)
        assert list(back) == list(tensors)
        sd = {}
        for k, v in back.items():
            assert v.shape == tensors[k].shape and v.dtype == tensors[k].dtype, k
            assert np.array_equal(v, tensors[k]), k
            sd[k] = torch.from_numpy(v.astype(np.float32) if v.dtype == np.float16 else v.astype(np.int64))
        m.load_state_dict(sd, strict=True)
        x = torch.from_numpy(gen_input(seed, (2, 3, 64, 64)))
        with torch.no_grad():
            outs = {'logits': m(x).numpy().astype(np.float32)}
        wsize = os.path.getsize(wpath)
        assert wsize < 1.5e6, 'safetensors file too big: %d' % wsize
        finish(name, seed, [2, 3, 64, 64], nc, 'safetensors', outs,
               case_file(name, 64, 64, 2, nc, suffix='_f16'),
               extra={'weights_file': wname, 'weights_dtype': 'F16',
                      'weights_file_bytes': wsize,
                      'note': 'weights = generator values rounded to fp16 (round-to-nearest-even), '
                              'read back and widened to fp32; num_batches_tracked stored as I64 0'})
    return cases, maxabs


# --------------------------------------------------------------------------
# Manifest formatting: one line per short list, readable diff
# --------------------------------------------------------------------------
def _compact(obj, indent=0):
    pad = ' ' * indent
    if isinstance(obj, dict):
        flat = json.dumps(obj)
        if not obj or (len(flat) <= 100 and not any(isinstance(v, (dict, list)) for v in obj.values())):
            return flat
        items = ['%s %s: %s' % (pad, json.dumps(k), _compact(v, indent + 1)) for k, v in obj.items()]
        return '{\n' + ',\n'.join(items) + '\n' + pad + '}'
    if isinstance(obj, list):
        flat = json.dumps(obj)
        if len(flat) <= 100 and not any(isinstance(v, dict) for v in obj):
            return flat
        items = ['%s %s' % (pad, _compact(v, indent + 1)) for v in obj]
        return '[\n' + ',\n'.join(items) + '\n' + pad + ']'
    return json.dumps(obj)


def add_timm_to_path(timm_dir):
    """Makes `import timm` find the given source tree, else /tmp/timm when it holds one."""
    if timm_dir:
        sys.path.insert(0, os.path.abspath(timm_dir))
    elif os.path.isdir('/tmp/timm/timm'):
        sys.path.insert(0, '/tmp/timm')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--timm', default=os.environ.get('TIMM_SRC'),
                    help='directory containing the timm package (default: $TIMM_SRC)')
    ap.add_argument('--out', default=os.path.join(here, '..', 'core', 'src', 'test', 'resources', 'fixtures'))
    ap.add_argument('--only', nargs='*', help='restrict to these archs (debugging; manifest is partial)')
    args = ap.parse_args()
    add_timm_to_path(args.timm)

    import torch
    import timm
    torch.set_num_threads(2)
    t0 = time.time()
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    print('torch %s  timm %s (%s)  numpy %s' % (torch.__version__, timm.__version__,
                                               os.path.dirname(timm.__file__), np.__version__))

    gc = generator_checks()
    print('generator checks:', json.dumps({k: gc[k] for k in ('raw_first5', 'u_first5')}))

    caught = []
    with warnings.catch_warnings(record=True) as wlist:
        warnings.simplefilter('always')
        only = set(args.only) if args.only else None
        archs = {}
        for a in ALL_ARCHS:
            if only and a not in only:
                continue
            archs[a] = arch_info(a)
            i = archs[a]
            print('%-34s params %9d  macs224 %11d  macs_default %11d  num_features %d' % (
                a, i['params'], i['macs_224'], i['macs_default'], i['num_features']), flush=True)
        if not only or 'mobilenetv3_large_100' in only:
            m = build('mobilenetv3_large_100', num_classes=11221)
            p = sum(q.numel() for q in m.parameters())
            assert p == EXPECTED_PARAMS['mobilenetv3_large_100@11221'], p
            archs['mobilenetv3_large_100@11221'] = {'params': int(p), 'num_classes': 11221}
            del m
        cases, maxabs = run_cases(out_dir, only)
        caught = wlist[:]

    manifest = {
        'description': 'Reference outputs of timm MobileNet V1/V2/V3 with generator weights; '
                       'see tools/FIXTURES.md and tools/make_fixtures.py',
        'torch': torch.__version__,
        'timm': timm.__version__,
        'numpy': np.__version__,
        'python': sys.version.split()[0],
        'generator_checks': gc,
        'cases': cases,
        'archs': archs,
    }
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as f:
        f.write(_compact(manifest) + '\n')

    total = sum(os.path.getsize(os.path.join(out_dir, f)) for f in os.listdir(out_dir))
    print('\n%d cases, %d files, %.2f MB in %s (%.0f s)' % (
        len(cases), len(os.listdir(out_dir)), total / 1e6, out_dir, time.time() - t0))
    uniq = sorted({'%s: %s' % (w.category.__name__, str(w.message).splitlines()[0]) for w in caught})
    if uniq:
        print('python warnings seen:')
        for u in uniq:
            print('  ' + u)
    if PROBLEMS:
        print('problems:')
        for p in PROBLEMS:
            print('  ' + p)
    assert total < 10.5e6, 'fixtures folder too large: %d bytes' % total


if __name__ == '__main__':
    main()
