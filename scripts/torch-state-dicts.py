#!/usr/bin/env python3
"""PyTorch state dicts for TrainKit's interop tests, and the round trip back into PyTorch.

TrainKit's built-in layers use PyTorch's parameter and buffer names (docs/state-dicts.md). This script checks
that claim against PyTorch itself, in both directions. It needs `torch` and `safetensors` (Python is used for
these cross-checks only; TrainKit never depends on it).

Modes:

    python3 scripts/torch-state-dicts.py make [DIR]
        Builds each small model below with a fixed seed, moves every parameter by N(0, 0.1) noise (so zero-
        initialised biases and unit norm weights are tested too), runs it in training mode on a few batches (so batch
        norm's running statistics and num_batches_tracked move), switches it to eval mode and writes, per model:
          DIR/<name>.safetensors      model.state_dict(), exactly as PyTorch names it
          DIR/<name>.io.safetensors   the inputs (`input`, or `query`/`key`/`value`) and PyTorch's outputs
                                      (`output`, plus `h_n`/`c_n` for recurrent models), in eval mode
        DIR defaults to Tests/Fixtures/torch-state-dicts (the committed fixtures; the Swift tests
        Tests/TrainKitTests/TorchStateDictTests.swift load each file into the equivalent TrainKit model and
        compare outputs). Runs are deterministic: the same torch version rewrites the same bytes.

    python3 scripts/torch-state-dicts.py roundtrip [DIR]
        Loads state dicts written by TrainKit into PyTorch with strict=True and compares outputs. The Swift
        test `trainKitStateDictsLoadIntoPyTorch` writes, when TRAINKIT_STATE_DICT_EXPORT=DIR is set, one
        DIR/<name>.safetensors per model (TrainKit's own initialisation, another seed, after training steps)
        and DIR/<name>.io.safetensors with TrainKit's outputs on the committed inputs. Without DIR this mode
        makes a temporary directory and runs
          TRAINKIT_STATE_DICT_EXPORT=DIR swift test --filter TorchStateDictTests
        itself first. Exit status 0 when every model loads strictly and matches (rtol 1e-4, atol 1e-5).

The models (mirrored in the Swift test; keep the two in step):
  mlp          Sequential(Linear(4, 8), BatchNorm1d(8), ReLU(), Linear(8, 3))                 input [5, 4]
  cnn          Sequential(Conv2d(2, 4, 3, padding=1), BatchNorm2d(4), ReLU(), MaxPool2d(2),
               Flatten(), Linear(36, 5))                                                      input [3, 2, 6, 6]
  upsample     Sequential(ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1),
               GroupNorm(3, 3), ReLU(), Conv2d(3, 2, 1))                                     input [2, 2, 3, 3]
  sequence     Sequential(Conv1d(3, 4, 3, padding=1), ReLU(), Flatten(), LayerNorm(20))       input [2, 3, 5]
  lstm         LSTM(3, 5, num_layers=2, batch_first=True, bidirectional=True)                 input [2, 4, 3]
  gru          GRU(3, 4, num_layers=2, batch_first=True)                                      input [2, 4, 3]
  rnn          RNN(3, 4, batch_first=True, bidirectional=True)                                input [2, 4, 3]
  attention    MultiheadAttention(8, 2, batch_first=True)                     query [2, 3, 8], key/value [2, 4, 8]
  transformer  TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0, batch_first=True) input [2, 4, 8]
  embedding    Embedding(10, 4, padding_idx=0)                                                input int64 [2, 3]
"""

import os
import shutil
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn
from safetensors.torch import load_file, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "torch-state-dicts")


def models():
    """name -> (model factory, input factory). Inputs are dicts of tensors; a fixed generator per model."""

    def gen(seed):
        return torch.Generator().manual_seed(seed)

    def normal(shape, seed):
        return torch.randn(*shape, generator=gen(seed))

    return {
        "mlp": (lambda: nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3)),
                lambda: {"input": normal([5, 4], 101)}),
        "cnn": (lambda: nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Flatten(), nn.Linear(36, 5)),
                lambda: {"input": normal([3, 2, 6, 6], 102)}),
        "upsample": (lambda: nn.Sequential(nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1),
                                           nn.GroupNorm(3, 3), nn.ReLU(), nn.Conv2d(3, 2, 1)),
                     lambda: {"input": normal([2, 2, 3, 3], 103)}),
        "sequence": (lambda: nn.Sequential(nn.Conv1d(3, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.LayerNorm(20)),
                     lambda: {"input": normal([2, 3, 5], 104)}),
        "lstm": (lambda: nn.LSTM(3, 5, num_layers=2, batch_first=True, bidirectional=True),
                 lambda: {"input": normal([2, 4, 3], 105)}),
        "gru": (lambda: nn.GRU(3, 4, num_layers=2, batch_first=True),
                lambda: {"input": normal([2, 4, 3], 106)}),
        "rnn": (lambda: nn.RNN(3, 4, batch_first=True, bidirectional=True),
                lambda: {"input": normal([2, 4, 3], 107)}),
        "attention": (lambda: nn.MultiheadAttention(8, 2, batch_first=True),
                      lambda: {"query": normal([2, 3, 8], 108), "key": normal([2, 4, 8], 109),
                               "value": normal([2, 4, 8], 110)}),
        "transformer": (lambda: nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True),
                        lambda: {"input": normal([2, 4, 8], 111)}),
        "embedding": (lambda: nn.Embedding(10, 4, padding_idx=0),
                      lambda: {"input": torch.tensor([[1, 0, 9], [4, 4, 2]], dtype=torch.int64)}),
    }


def run(name, model, inputs):
    """The model's outputs on `inputs` by name (recurrent models also give h_n and c_n)."""
    with torch.no_grad():
        if name == "attention":
            out, _ = model(inputs["query"], inputs["key"], inputs["value"], need_weights=False)
            return {"output": out}
        if name in ("lstm", "gru", "rnn"):
            out, state = model(inputs["input"])
            if name == "lstm":
                return {"output": out, "h_n": state[0], "c_n": state[1]}
            return {"output": out, "h_n": state}
        return {"output": model(inputs["input"])}


def make(directory):
    os.makedirs(directory, exist_ok=True)
    # One metadata key: safetensors writes a map of several in no fixed order.
    meta = {"generator": f"scripts/torch-state-dicts.py, torch {torch.__version__}"}
    for index, (name, (build, make_inputs)) in enumerate(models().items()):
        torch.manual_seed(1000 + index)
        model = build()
        inputs = make_inputs()
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.1 * torch.randn_like(p))
        # A few training passes so running statistics and num_batches_tracked are not at their start values.
        model.train()
        if name not in ("embedding", "attention"):
            with torch.no_grad():
                for step in range(3):
                    x = inputs["input"] + 0.5 * step
                    model(x)
        model.eval()
        outputs = run(name, model, inputs)
        state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
        save_file(state, os.path.join(directory, f"{name}.safetensors"), metadata=meta)
        io = {k: v.contiguous() for k, v in inputs.items()}
        io.update({k: v.contiguous() for k, v in outputs.items()})
        save_file(io, os.path.join(directory, f"{name}.io.safetensors"), metadata=meta)
        print(f"{name}: {', '.join(state.keys())}")


def roundtrip(directory):
    failures = 0
    for name, (build, _) in models().items():
        weights = os.path.join(directory, f"{name}.safetensors")
        io_path = os.path.join(directory, f"{name}.io.safetensors")
        if not os.path.exists(weights):
            print(f"{name}: FAIL, {weights} is missing")
            failures += 1
            continue
        model = build()
        try:
            model.load_state_dict(load_file(weights), strict=True)
        except RuntimeError as error:
            print(f"{name}: FAIL, load_state_dict(strict=True): {error}")
            failures += 1
            continue
        model.eval()
        io = load_file(io_path)
        inputs = {k: io[k] for k in ("input", "query", "key", "value") if k in io}
        expected = {k: v for k, v in io.items() if k not in inputs}
        got = run(name, model, inputs)
        worst = 0.0
        for key, want in expected.items():
            have = got[key]
            if have.shape != want.shape:
                print(f"{name}: FAIL, {key} has shape {list(have.shape)}, TrainKit's {list(want.shape)}")
                failures += 1
                break
            excess = ((have.double() - want.double()).abs() - (1e-5 + 1e-4 * want.double().abs())).max().item()
            worst = max(worst, (have.double() - want.double()).abs().max().item())
            if excess > 0:
                print(f"{name}: FAIL, {key} differs from TrainKit's by up to {worst:.3g}")
                failures += 1
                break
        else:
            print(f"{name}: ok (strict load, {len(expected)} outputs, max |diff| {worst:.3g})")
    return failures


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "make"
    if mode == "make":
        make(sys.argv[2] if len(sys.argv) > 2 else FIXTURES)
    elif mode == "roundtrip":
        if len(sys.argv) > 2:
            failures = roundtrip(sys.argv[2])
        else:
            directory = tempfile.mkdtemp(prefix="trainkit-state-dicts-")
            try:
                env = dict(os.environ, TRAINKIT_STATE_DICT_EXPORT=directory)
                subprocess.run(["swift", "test", "--filter", "TorchStateDictTests"], cwd=ROOT, env=env, check=True)
                failures = roundtrip(directory)
            finally:
                shutil.rmtree(directory, ignore_errors=True)
        sys.exit(1 if failures else 0)
    else:
        sys.exit(f"unknown mode '{mode}' (make or roundtrip)")


if __name__ == "__main__":
    main()
