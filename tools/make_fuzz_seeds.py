#!/usr/bin/python3
"""Writes the small seed inputs of the Jazzer fuzz targets (see docs/RELIABILITY.md).

Each target's seeds live in <module>/src/test/resources/<package>/<TestClass>Inputs/<method>/; `mvn verify` runs
every @FuzzTest over them, and tools/fuzz.sh starts mutating from them. Crashing inputs the fuzzer finds are added
to the same folders by Jazzer (named crash-<sha1>) and kept as regression seeds. Run from the repo root:
    /usr/bin/python3 tools/make_fuzz_seeds.py
"""
import io
import json
import os
import shutil
import struct
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def target(module, package, test, method="fuzz"):
    d = os.path.join(ROOT, module, "src/test/resources", package.replace(".", "/"), test + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    return d


def put(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata=None):
    header = {}
    blobs = []
    off = 0
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    if metadata is not None:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def npy(arr):
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


def main():
    d = target("core", "dev.mobilenet.io", "SafeTensorsFuzzTest")
    f32 = np.arange(6, dtype="<f4")
    put(d, "f32", safetensors({"w": ("F32", [2, 3], f32.tobytes())}, {"format": "pt"}))
    put(d, "mixed", safetensors({
        "a.weight": ("F16", [2, 2], np.array([1, -2, 0.5, 65504], dtype="<f2").tobytes()),
        "b.bias": ("BF16", [3], (np.array([1, 2, 3], dtype="<f4").view("<u4") >> 16).astype("<u2").tobytes()),
        "c.num_batches_tracked": ("I64", [], np.array(7, dtype="<i8").tobytes()),
        "d": ("F64", [1, 1], np.array([[3.5]], dtype="<f8").tobytes()),
        "e": ("I32", [2], np.array([1, -1], dtype="<i4").tobytes()),
    }))
    put(d, "empty_tensor", safetensors({"z": ("F32", [0, 4], b"")}))
    put(d, "no_tensors", safetensors({}, {"k": "v"}))

    d = target("core", "dev.mobilenet.io", "NpyFuzzTest")
    put(d, "f32_2d", npy(np.arange(6, dtype="<f4").reshape(2, 3)))
    put(d, "f64_1d", npy(np.array([1.5, -2.0], dtype="<f8")))
    put(d, "i64_scalar", npy(np.array(3, dtype="<i8")))
    put(d, "i32_fortran", npy(np.asfortranarray(np.arange(6, dtype="<i4").reshape(2, 3))))
    put(d, "f32_big_endian", npy(np.arange(4, dtype=">f4")))
    put(d, "nchw", npy(np.zeros((1, 3, 2, 2), dtype="<f4")))

    d = target("core", "dev.mobilenet.io", "NpzFuzzTest")
    for name, compress in (("stored", False), ("deflated", True)):
        buf = io.BytesIO()
        (np.savez_compressed if compress else np.savez)(buf, x=np.arange(4, dtype="<f4"), y=np.array([1, 2], dtype="<i8"))
        put(d, name, buf.getvalue())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("dir/", b"")
        z.writestr("noext", npy(np.ones((2,), dtype="<f4")))
    put(d, "dir_and_plain_member", buf.getvalue())

    d = target("core", "dev.mobilenet.io", "LabelsFileFuzzTest")
    put(d, "three", b"cat\ndog\nbird\n")
    put(d, "crlf_no_final_newline", b"a b\r\nc,d\r\ne")
    put(d, "utf8_bom", "\ufeffz\u00fcrich\n\u6771\u4eac\n".encode())
    put(d, "blank_lines", b"x\n\n y \n")

    d = target("hub", "dev.mobilenet.hub", "TimmConfigFuzzTest")
    src = os.path.join(ROOT, "hub/src/test/resources/hub-configs")
    for name in ("mobilenetv3_small_050.lamb_in1k.json", "mobilenetv3_large_100.miil_in21k.json"):
        with open(os.path.join(src, name), "rb") as f:
            cfg = json.load(f)
        cfg.get("pretrained_cfg", {}).pop("label_names", None)
        put(d, name, json.dumps(cfg).encode())
    put(d, "labels", json.dumps({"architecture": "mobilenetv3_small_100", "num_classes": 2,
                                  "label_names": ["a", "b"], "pretrained_cfg": {"input_size": [3, 32, 32],
                                  "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "crop_pct": 0.9,
                                  "interpolation": "bilinear", "crop_mode": "center"}}).encode())

    d = target("hub", "dev.mobilenet.hub", "HubHeadersFuzzTest")
    put(d, "redirect", b"302\nlocation: https://cdn.example/blob?x=1\nx-repo-commit: " + b"a" * 40
        + b"\nx-linked-etag: \"" + b"b" * 64 + b"\"\nx-linked-size: 1234\n")
    put(d, "direct", b"200\netag: \"" + b"c" * 40 + b"\"\nx-repo-commit: " + b"d" * 40 + b"\ncontent-length: 10\n")
    put(d, "relative", b"307\nlocation: /api/resolve-cache/models/timm/x/" + b"e" * 40 + b"/model.safetensors\n"
        + b"x-repo-commit: " + b"e" * 40 + b"\netag: W/\"" + b"f" * 40 + b"\"\n")

    src = os.path.join(ROOT, "image/src/test/resources/images")
    prefixes = {"jpeg": ("jpeg_", "src_3x7.jpg"), "png": ("png_", "src_3x7.png"), "bmp": ("bmp_",), "gif": ("gif_",),
                "webp": ("webp_",)}
    for method, starts in prefixes.items():
        d = target("image", "dev.mobilenet.image", "ImageDecoderFuzzTest", method)
        for name in sorted(os.listdir(src)):
            p = os.path.join(src, name)
            if name.endswith(".gz") or os.path.getsize(p) > 4096 or not name.startswith(starts):
                continue
            shutil.copyfile(p, os.path.join(d, name))

if __name__ == "__main__":
    main()
