#!/usr/bin/env python3
"""Writes the config.json that timm publishes on the Hub for each pretrained MobileNet tag, as test fixtures.

Usage: PYTHONPATH=/tmp/timm /usr/bin/python3 tools/make_hub_configs.py

timm's save_config_for_hf writes a model's pretrained_cfg into the config.json of its Hub repository
(timm/<arch>.<tag>); creating the model without weights is enough to get the same document. Output:
hub/src/test/resources/hub-configs/<arch>.<tag>.json, one per pretrained tag of the core registry's list below.
"""
import os
import pathlib
import tempfile

import timm
from timm.models._hub import save_config_for_hf

NAMES = [
    'mobilenetv1_100.ra4_e3600_r224_in1k', 'mobilenetv1_100h.ra4_e3600_r224_in1k',
    'mobilenetv1_125.ra4_e3600_r224_in1k', 'mobilenetv2_050.lamb_in1k', 'mobilenetv2_100.ra_in1k',
    'mobilenetv2_110d.ra_in1k', 'mobilenetv2_120d.ra_in1k', 'mobilenetv2_140.ra_in1k',
    'mobilenetv3_large_100.ra_in1k', 'mobilenetv3_large_100.ra4_e3600_r224_in1k',
    'mobilenetv3_large_100.miil_in21k_ft_in1k', 'mobilenetv3_large_100.miil_in21k',
    'mobilenetv3_large_150d.ra4_e3600_r256_in1k', 'mobilenetv3_rw.rmsp_in1k', 'mobilenetv3_small_050.lamb_in1k',
    'mobilenetv3_small_075.lamb_in1k', 'mobilenetv3_small_100.lamb_in1k', 'tf_mobilenetv3_large_075.in1k',
    'tf_mobilenetv3_large_100.in1k', 'tf_mobilenetv3_large_minimal_100.in1k', 'tf_mobilenetv3_small_075.in1k',
    'tf_mobilenetv3_small_100.in1k', 'tf_mobilenetv3_small_minimal_100.in1k',
]


def main():
    out = pathlib.Path(__file__).resolve().parent.parent / 'hub' / 'src' / 'test' / 'resources' / 'hub-configs'
    out.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        model = timm.create_model(name, pretrained=False)
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / 'config.json'
            save_config_for_hf(model, path)
            text = path.read_text(encoding='utf-8')
        (out / (name + '.json')).write_text(text, encoding='utf-8')
        print(name)


if __name__ == '__main__':
    main()
