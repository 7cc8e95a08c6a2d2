#!/usr/bin/env python3
"""PyTorch peer of trainkit-bench's tensor-op workloads (Sources/TrainKitBench/TensorOpWorkloads.swift).

add_16 (a + b on 16 floats, a.requires_grad: the full cost of one small op with autograd recording), add_1m,
mul_relu_1m, sum_1m and softmax_1024x1000, in elements per second, with the shared/bench timing rule
(`_common.measure`). Needs `pip install torch`; the shared bench folder is found at ../shared/bench or
$TRAINKIT_PEERS.

    python3 scripts/bench_torch_ops.py [--threads 2] [--quick]
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.environ.get("TRAINKIT_PEERS", os.path.join(HERE, "..", "..", "shared", "bench"))
sys.path.insert(0, PEERS)
import _common as C  # noqa: E402  (must run before torch is imported: it sets thread variables)

C.setup(__doc__.splitlines()[0])
import torch  # noqa: E402

torch.set_num_threads(C.ARGS.threads)
torch.set_num_interop_threads(1)
VER = torch.__version__


def op(name, elements, make):
    if not C.wanted(name):
        return
    body = make()
    r = C.measure(lambda i: body(), lambda: None, elements)
    C.emit("torch", name, "elements_per_s", r.pop("value"), elements=elements, version=VER, **r)


g = torch.Generator().manual_seed(0)
def uniform(n, low=0.0, high=1.0):
    return torch.rand(n, generator=g) * (high - low) + low


def add16():
    a = uniform(16).requires_grad_(True)
    b = uniform(16)
    return lambda: a + b


def add1m():
    a, b = uniform(1 << 20), uniform(1 << 20)
    return lambda: a + b


def mulrelu():
    a, b = uniform(1 << 20, -1, 1), uniform(1 << 20)
    return lambda: torch.relu(a * b)


def sum1m():
    a = uniform(1 << 20)
    return lambda: a.sum()


def softmax():
    a = torch.randn(1024, 1000, generator=g)
    return lambda: torch.softmax(a, -1)


op("add_16", 16, add16)
op("add_1m", 1 << 20, add1m)
op("mul_relu_1m", 1 << 20, mulrelu)
op("sum_1m", 1 << 20, sum1m)
op("softmax_1024x1000", 1024 * 1000, softmax)
