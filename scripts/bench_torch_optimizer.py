#!/usr/bin/env python3
"""PyTorch peer of trainkit-bench's optimizer-step workloads (Sources/TrainKitBench/OptimizerWorkloads.swift).

Times `optimizer.step()` alone over a 10M-parameter model: ten float32 [1000, 1000] tensors with fixed N(0, 1)
gradients; SGD (lr 1e-3, momentum 0.9), Adam (lr 1e-3), AdamW (lr 1e-3, weight decay 0.01). Prints one JSON
line per workload and implementation, as trainkit-bench does: `value` is parameters updated per second
(`samples_per_s`, a sample = one parameter) and `gb_per_s = value * bytes_per_param / 1e9` (float32 reads of
p, g and the state and writes of p and the state: SGD momentum 20 bytes, Adam/AdamW 28 bytes per parameter).

The timing rule is shared/bench's (`_common.measure`): warm-up >= 1 s and >= 5 steps, k = ceil(0.75 s / median
step), 7 windows of k steps, median window rate (--quick: 0.2 s, 2 steps, 3 windows of 0.2 s).

`impl` is torch's default CPU path (`for-loop`, the single-tensor kernels), `foreach` and `fused`.

    python3 scripts/bench_torch_optimizer.py [--threads 2] [--quick]
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

SHAPES = [(1000, 1000)] * 10
WORKLOADS = [
    ("optim_step_sgd_momentum", "SGD", dict(lr=1e-3, momentum=0.9), 20),
    ("optim_step_adam", "Adam", dict(lr=1e-3), 28),
    ("optim_step_adamw", "AdamW", dict(lr=1e-3, weight_decay=0.01), 28),
]
IMPLS = [("for-loop", dict(foreach=False)), ("foreach", dict(foreach=True)), ("fused", dict(fused=True))]


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--rep", type=int, default=1)
    args = p.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    if args.threads < len(cpus):
        os.sched_setaffinity(0, set(cpus[: args.threads]))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    return args


def measure(step, quick):
    warm_s, warm_min, windows, window_s = (0.2, 2, 3, 0.2) if quick else (1.0, 5, 7, 0.75)
    times, start = [], time.perf_counter()
    while True:
        t0 = time.perf_counter()
        step()
        t1 = time.perf_counter()
        times.append(t1 - t0)
        if len(times) >= warm_min and t1 - start >= warm_s:
            break
    per_step = statistics.median(times[len(times) // 2:])
    k = max(1, math.ceil(window_s / max(per_step, 1e-9)))
    rates = []
    for _ in range(windows):
        t0 = time.perf_counter()
        for _ in range(k):
            step()
        rates.append(k / (time.perf_counter() - t0))
    return statistics.median(rates), min(rates), max(rates), k, windows


def main():
    args = parse()
    import torch

    torch.set_num_threads(args.threads)
    count = sum(a * b for a, b in SHAPES)
    for name, cls_name, kwargs, bytes_per_param in WORKLOADS:
        for impl, impl_kwargs in IMPLS:
            gen = torch.Generator().manual_seed(44)
            params = []
            for shape in SHAPES:
                p = torch.nn.Parameter(torch.randn(shape, generator=gen) * 0.02)
                p.grad = torch.randn(shape, generator=gen)
                params.append(p)
            try:
                opt = getattr(torch.optim, cls_name)(params, **kwargs, **impl_kwargs)
                opt.step()
            except (RuntimeError, ValueError, TypeError) as error:  # e.g. no fused CPU kernel in this build
                print(f"[bench_torch_optimizer] {name} {impl}: {error}", file=sys.stderr)
                continue
            steps_per_s, low, high, k, windows = measure(opt.step, args.quick)
            value = steps_per_s * count
            record = {
                "framework": "torch", "workload": name, "metric": "samples_per_s", "value": round(value, 3),
                "threads": args.threads, "params": count, "min": low * count, "max": high * count,
                "steps_per_window": k, "windows": windows, "ms_per_step": 1000 / steps_per_s,
                "quick": args.quick, "rep": args.rep, "version": torch.__version__, "impl": impl,
                "sample": "parameter", "bytes_per_param": bytes_per_param,
                "gb_per_s": round(value * bytes_per_param / 1e9, 3),
            }
            print(json.dumps(record), flush=True)
            del opt, params


if __name__ == "__main__":
    main()
