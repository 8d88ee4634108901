#!/usr/bin/env python3
"""PyTorch's side of `mobilenet bench --train`: the same protocol on timm's models, written as the JSON that
`bench --train --compare FILE` reads.

Protocol (as the Java side): random input uniform in [-1, 1) and random labels, train mode, cross-entropy,
torch.optim.SGD (lr 0.01, momentum 0.9, no weight decay); --warmup-steps steps, then --steps measured steps of
zero_grad + forward + loss + backward + optimizer step; ms per image is the median step time / batch, p90 likewise,
threads by torch.set_num_threads. Each model runs in its own child process, so that its peak RSS (VmHWM from
/proc/self/status, as the Java side reads it) is its own.

Run: PYTHONPATH=/tmp/timm_src /usr/bin/python3 tools/torch_train_bench.py [model ...] [--threads 2] [--batch 32]
     [--img-size 224] [--steps 5] [--warmup-steps 2] --output torch_train.json
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

MODELS = ['mobilenetv3_small_100', 'mobilenetv3_large_100', 'mobilenetv2_100']


def peak_rss_mb():
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def bench_one(args):
    import torch
    import timm
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = timm.create_model(args.one, num_classes=1000)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(args.batch, 3, args.img_size, args.img_size) * 2 - 1
    y = torch.randint(0, 1000, (args.batch,))
    loss_fn = torch.nn.CrossEntropyLoss()
    times = []
    losses = []
    for i in range(args.warmup_steps + args.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        t1 = time.perf_counter()
        losses.append(float(loss))
        if i >= args.warmup_steps:
            times.append((t1 - t0) * 1000.0)
    ordered = sorted(times)
    median = ordered[(len(ordered) - 1) // 2]
    p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
    result = {
        'model': args.one,
        'batch': args.batch,
        'img_size': args.img_size,
        'threads': args.threads,
        'opt': 'momentum',
        'lr': 0.01,
        'warmup_steps': args.warmup_steps,
        'steps': args.steps,
        'ms_per_image': round(median / args.batch, 3),
        'p90_ms': round(p90 / args.batch, 3),
        'images_per_second': round(1000.0 * args.batch / median, 3),
        'step_ms': [round(t, 3) for t in times],
        'first_loss': round(losses[0], 4),
        'last_loss': round(losses[-1], 4),
    }
    rss = peak_rss_mb()
    if rss is not None:
        result['peak_rss_mb'] = round(rss, 3)
    print(json.dumps(result))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('models', nargs='*', default=MODELS)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--img-size', type=int, default=224)
    ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--warmup-steps', type=int, default=2)
    ap.add_argument('--seed', type=int, default=42)
    ap.add_argument('--output', help='write the JSON here (default: stdout only)')
    ap.add_argument('--one', help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        bench_one(args)
        return
    import torch
    import timm
    results = []
    for name in args.models:
        cmd = [sys.executable, os.path.abspath(__file__), '--one', name, '--threads', str(args.threads),
               '--batch', str(args.batch), '--img-size', str(args.img_size), '--steps', str(args.steps),
               '--warmup-steps', str(args.warmup_steps), '--seed', str(args.seed)]
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        results.append(r)
        print('%s: %.2f ms/image (p90 %.2f), %.1f images/s, peak RSS %s MB' % (
            name, r['ms_per_image'], r['p90_ms'], r['images_per_second'], r.get('peak_rss_mb', 'n/a')),
            file=sys.stderr)
    doc = {
        'framework': 'pytorch',
        'version': torch.__version__,
        'timm_version': timm.__version__,
        'measured': time.strftime('%Y-%m-%dT%H:%M:%S%z'),
        'results': results,
    }
    text = json.dumps(doc, indent=2)
    if args.output:
        tmp = args.output + '.tmp'
        with open(tmp, 'w') as f:
            f.write(text + '\n')
        os.replace(tmp, args.output)
    else:
        print(text)


if __name__ == '__main__':
    main()
