#!/usr/bin/env python3
"""PyTorch DistributedDataParallel (gloo) on W1 `mlp` / W3 `lenet` of shared/bench/README.md, for scripts/bench-ddp.

    python3 scripts/bench_torch_ddp.py --workload mlp|lenet --ranks 2 [--global-batch B] [--steps S] [--warmup W]

Starts `--ranks` processes on this machine (torch.multiprocessing, gloo on 127.0.0.1), one torch thread each,
each rank training on its own batches of B / ranks rows with DDP's bucketed all-reduce; rank 0 prints one JSON
line with the global samples per second over the timed steps (barriers before and after), like
`trainkit-bench ddp`. Not a dependency of TrainKit: a peer to measure against.
"""
import argparse
import json
import os
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F


def model_for(name):
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def worker(rank, args, port):
    torch.set_num_threads(1)
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(port)
    dist.init_process_group("gloo", rank=rank, world_size=args.ranks)
    torch.manual_seed(0)
    model = torch.nn.parallel.DistributedDataParallel(model_for(args.workload))
    batch = args.global_batch // args.ranks
    g = torch.Generator().manual_seed(1234 + rank)
    shape = [batch, 784] if args.workload == "mlp" else [batch, 1, 28, 28]
    data = [(torch.rand(shape, generator=g), torch.randint(0, 10, [batch], generator=g)) for _ in range(16)]
    opt = (torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9) if args.workload == "mlp"
           else torch.optim.Adam(model.parameters(), lr=1e-3))

    def step(i):
        x, y = data[i % len(data)]
        F.cross_entropy(model(x), y).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)

    for i in range(args.warmup):
        step(i)
    dist.barrier()
    start = time.perf_counter()
    for i in range(args.steps):
        step(args.warmup + i)
    dist.barrier()
    seconds = time.perf_counter() - start
    if rank == 0:
        print(json.dumps({"framework": "torch_ddp_gloo", "workload": args.workload, "ranks": args.ranks,
                          "threads_per_rank": 1, "global_batch": args.global_batch, "steps": args.steps,
                          "seconds": seconds, "samples_per_s": args.steps * args.global_batch / seconds,
                          "version": torch.__version__}), flush=True)
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", choices=["mlp", "lenet"], default="mlp")
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--global-batch", type=int)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--port", type=int, default=29517)
    args = parser.parse_args()
    args.global_batch = args.global_batch or (128 if args.workload == "mlp" else 64)
    mp.spawn(worker, args=(args, args.port), nprocs=args.ranks, join=True)


if __name__ == "__main__":
    main()
