#!/usr/bin/env python3
"""Writes the class-label resources from timm's ImageNet info files (facts: synset ids and their lemmas).

Usage: make_labels.py [--timm DIR]   (DIR holds the timm package; default $TIMM_SRC or /tmp/timm)

Output: core/src/main/resources/dev/mobilenet/labels/{imagenet1k,imagenet21k_miil}.tsv, one class per line in
class-index order: "<synset>\t<lemma>". These are the label spaces of timm's in1k tags (1000 classes) and of
mobilenetv3_large_100.miil_in21k (11221 classes).
"""
import argparse
import os

SUBSETS = {'imagenet1k': 'imagenet_synsets.txt', 'imagenet21k_miil': 'imagenet21k_miil_synsets.txt'}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--timm', default=os.environ.get('TIMM_SRC', '/tmp/timm'))
    args = ap.parse_args()
    info = os.path.join(args.timm, 'timm', 'data', '_info')
    lemmas = {}
    with open(os.path.join(info, 'imagenet_synset_to_lemma.txt'), encoding='utf-8') as f:
        for line in f:
            synset, lemma = line.rstrip('\n').split('\t', 1)
            lemmas[synset] = lemma
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'core', 'src', 'main', 'resources',
                           'dev', 'mobilenet', 'labels')
    os.makedirs(out_dir, exist_ok=True)
    for name, synset_file in SUBSETS.items():
        with open(os.path.join(info, synset_file), encoding='utf-8') as f:
            synsets = [s.strip() for s in f if s.strip()]
        with open(os.path.join(out_dir, name + '.tsv'), 'w', encoding='utf-8', newline='\n') as f:
            for s in synsets:
                f.write('%s\t%s\n' % (s, lemmas[s]))
        print(name, len(synsets))


if __name__ == '__main__':
    main()
