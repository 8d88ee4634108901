#!/usr/bin/env python3
"""PyTorch's side of the training-speed comparison: ms per image of one training step (forward, backward,
SGD with momentum) of a timm model, batch 32, 224x224, on N threads (default 2), CPU, fp32, train mode.
Run: PYTHONPATH=/tmp/timm /usr/bin/python3 tools/torch_train_speed.py [model ...] [--threads N] [--batch N]
"""
import argparse
import statistics
import time

import torch
import timm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('models', nargs='*', default=['mobilenetv3_small_100', 'mobilenetv3_large_100',
                                                  'mobilenetv2_100'])
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--steps', type=int, default=6)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for name in args.models:
        model = timm.create_model(name, num_classes=1000)
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        x = torch.randn(args.batch, 3, args.size, args.size)
        y = torch.randint(0, 1000, (args.batch,))
        loss_fn = torch.nn.CrossEntropyLoss()
        times = []
        for i in range(args.steps + 2):
            t0 = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            t1 = time.perf_counter()
            if i >= 2:
                times.append((t1 - t0) * 1000 / args.batch)
        print('%s torch %s threads=%d batch=%d: %.1f ms/image (median of %d steps)' % (
            name, torch.__version__, args.threads, args.batch, statistics.median(times), len(times)))


if __name__ == '__main__':
    main()
