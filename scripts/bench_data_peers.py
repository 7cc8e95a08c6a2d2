#!/usr/bin/env python3
"""NumPy / pandas / PyTorch peers of trainkit-bench's data workloads (Sources/TrainKitBench/DataWorkloads.swift).

- data_mnist_gzip_load: MNIST train images + labels from the .gz files (Python gzip + numpy.frombuffer,
  images to float32 / 255), rows per second (seconds = 60000 / value).
- data_csv_parse_100mb: pandas.read_csv of the same generated 100 MB file trainkit-bench writes
  ($TMPDIR/trainkit-bench-100mb.csv; run trainkit-bench's data workloads first), rows per second.
- data_loader_mnist_prefetch0 / _prefetch4: torch.utils.data.DataLoader over a TensorDataset of the MNIST
  train set, batch 64, shuffled, drop_last; num_workers 0, and 2 workers with prefetch_factor 2; samples/s.

Same timing rule as shared/bench (`_common.measure`). Needs numpy, pandas and torch.

    python3 scripts/bench_data_peers.py [--threads 2] [--quick]
"""
import gzip
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.environ.get("TRAINKIT_PEERS", os.path.join(HERE, "..", "..", "shared", "bench"))
sys.path.insert(0, PEERS)
import _common as C  # noqa: E402

C.setup(__doc__.splitlines()[0])
import numpy as np  # noqa: E402

DATASETS = os.environ.get("TRAINKIT_DATASETS", os.path.join(HERE, "..", "..", "shared", "datasets"))
MNIST = os.path.join(DATASETS, "mnist")


def load_mnist():
    with gzip.open(os.path.join(MNIST, "train-images-idx3-ubyte.gz")) as f:
        raw = f.read()
    images = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    with gzip.open(os.path.join(MNIST, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
    return images, labels


if C.wanted("data_mnist_gzip_load"):
    r = C.measure(lambda i: load_mnist(), lambda: None, 60000)
    C.emit("numpy", "data_mnist_gzip_load", "samples_per_s", r.pop("value"), rows=60000, version=np.__version__, **r)

csv_path = os.path.join(tempfile.gettempdir(), "trainkit-bench-100mb.csv")
if C.wanted("data_csv_parse_100mb") and os.path.exists(csv_path):
    import pandas as pd
    rows = 1_024_410
    r = C.measure(lambda i: pd.read_csv(csv_path), lambda: None, rows)
    C.emit("pandas", "data_csv_parse_100mb", "samples_per_s", r.pop("value"), rows=rows,
           bytes=os.path.getsize(csv_path), version=pd.__version__, **r)

import torch  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

torch.set_num_threads(C.ARGS.threads)
images, labels = load_mnist()
dataset = TensorDataset(torch.from_numpy(images), torch.from_numpy(labels))
for name, kwargs in [("data_loader_mnist_prefetch0", dict(num_workers=0)),
                     ("data_loader_mnist_prefetch4", dict(num_workers=2, prefetch_factor=2, persistent_workers=True))]:
    if not C.wanted(name):
        continue
    loader = DataLoader(dataset, batch_size=64, shuffle=True, drop_last=True, **kwargs)
    state = {"it": iter(loader)}

    def step(i):
        try:
            next(state["it"])
        except StopIteration:
            state["it"] = iter(loader)
            next(state["it"])

    r = C.measure(step, lambda: None, 64)
    C.emit("torch", name, "samples_per_s", r.pop("value"), batch=64, version=torch.__version__, **r)
