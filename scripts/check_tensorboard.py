"""Reads TrainKit's TensorBoard event files with TensorBoard's own EventAccumulator and compares them with the runs.

Called by scripts/check-tensorboard. Every mismatch is printed; the exit status is 1 when there is any.
"""
import argparse
import glob
import json
import math
import os
import struct
import sys

from tensorboard.backend.event_processing import event_file_loader
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.plugins.hparams import plugin_data_pb2

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)
    return condition


def float32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def accumulator(directory):
    acc = EventAccumulator(directory, size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    acc.Reload()
    return acc


def check_files(directory, what, count=1):
    """Each event file reads through TensorBoard's record reader (CRCs checked) and starts with file_version."""
    files = sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*")))
    check(len(files) == count, f"{what}: {len(files)} event files in {directory}, expected {count}")
    for path in files:
        events = list(event_file_loader.EventFileLoader(path).Load())
        check(len(events) > 0 and events[0].file_version == "brain.Event:2", f"{what}: the first event is not file_version")
    return files


def check_scalars(acc, epochs, what):
    """epochs: one dict per epoch with 'epoch' (1-based) and the logged values."""
    tags = set(acc.Tags()["scalars"])
    keys = sorted({k for line in epochs for k in line if k != "epoch"})
    for key in keys:
        if not check(key in tags, f"{what}: no scalar {key}"):
            continue
        logged = {}
        for event in acc.Scalars(key):
            check(event.step not in logged, f"{what}: {key} twice at step {event.step}")
            logged[event.step] = event.value
        expected = {int(line["epoch"]): line[key] for line in epochs if key in line}
        check(set(logged) == set(expected), f"{what}: {key} at steps {sorted(logged)}, expected {sorted(expected)}")
        for step, value in expected.items():
            if step in logged:
                check(logged[step] == float32(value), f"{what}: {key} at step {step} = {logged[step]}, expected {value}")
    return keys


def safetensors_shapes(path):
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    return {name: info["shape"] for name, info in header.items() if name != "__metadata__"}


def hparams_data(acc, tag):
    content = acc.PluginTagToContent("hparams").get(tag)
    if content is None:
        return None
    return plugin_data_pb2.HParamsPluginData.FromString(content)


def check_train(directory):
    tensorboard = os.path.join(directory, "tensorboard")
    files = check_files(tensorboard, "train", count=2)  # the run and its resumption
    if len(files) == 2:
        restarts = [e.step for e in event_file_loader.EventFileLoader(files[1]).Load() if e.HasField("session_log")]
        check(restarts == [3], f"train: the resumed file's restart steps {restarts}, expected [3]")
    acc = accumulator(tensorboard)
    with open(os.path.join(directory, "metrics.jsonl")) as f:
        epochs = [json.loads(line) for line in f if line.strip()]
    keys = check_scalars(acc, epochs, "train")
    steps = [int(line["epoch"]) for line in epochs]
    if check("samples_per_second" in acc.Tags()["scalars"], "train: no samples_per_second"):
        throughput = acc.Scalars("samples_per_second")
        check([e.step for e in throughput] == steps and all(e.value > 0 for e in throughput),
              "train: samples_per_second not positive at every epoch")
    shapes = safetensors_shapes(os.path.join(directory, "model", "weights.safetensors"))
    histograms = set(acc.Tags()["histograms"])
    gradients = 0
    for name, shape in shapes.items():
        count = math.prod(shape)
        weights = acc.Histograms(f"weights/{name}") if f"weights/{name}" in histograms else []
        check(len(weights) > 0, f"train: no histogram weights/{name}")
        # A frozen parameter (the linear start's `skip` of a small table) keeps its values and has no gradient.
        trained = len(weights) > 1 and weights[0].histogram_value != weights[-1].histogram_value
        check(trained == (f"gradients/{name}" in histograms),
              f"train: {name} {'changed' if trained else 'never changed'} but has "
              f"{'no' if trained else 'a'} gradient histogram")
        for kind in ["weights", "gradients"]:
            tag = f"{kind}/{name}"
            if tag not in histograms:
                continue
            gradients += kind == "gradients"
            events = acc.Histograms(tag)
            check([e.step for e in events] == steps, f"train: {tag} at steps {[e.step for e in events]}")
            check(all(e.histogram_value.num == count for e in events), f"train: {tag} does not count {count} values")
    text = acc.Tensors("config") if "config" in acc.Tags()["tensors"] else []
    with open(os.path.join(directory, "config.yaml")) as f:
        config = f.read()
    check(len(text) == 2 and config in text[-1].tensor_proto.string_val[0].decode(),  # one per start
          "train: the config text is not config.yaml")
    print(f"check_tensorboard: train: {len(keys)} scalars x {len(steps)} epochs, samples_per_second, "
          f"{len(shapes)} weight and {gradients} gradient histograms, the config text")


def check_linear(directory):
    """A linear fit: one event file whose scalars are metrics.jsonl's single line, and the config text."""
    tensorboard = os.path.join(directory, "tensorboard")
    check_files(tensorboard, "linear", count=1)
    acc = accumulator(tensorboard)
    with open(os.path.join(directory, "metrics.jsonl")) as f:
        epochs = [json.loads(line) for line in f if line.strip()]
    check(len(epochs) == 1, f"linear: metrics.jsonl has {len(epochs)} lines, expected 1")
    keys = check_scalars(acc, epochs, "linear")
    check("val_loss" in keys and "loss" in keys, f"linear: scalars {sorted(keys)} lack loss or val_loss")
    text = acc.Tensors("config") if "config" in acc.Tags()["tensors"] else []
    with open(os.path.join(directory, "config.yaml")) as f:
        config = f.read()
    check(len(text) == 1 and config in text[0].tensor_proto.string_val[0].decode(), "linear: the config text is not config.yaml")
    print(f"check_tensorboard: linear: {len(keys)} scalars at step 1, the config text")


def check_cv(directory, cv_json):
    """A cross-validation: one run per fold, each with loss and val_loss at steps 1..epochs of that fold."""
    with open(cv_json) as f:
        folds = json.load(f)["folds"]
    roots = glob.glob(os.path.join(directory, "tensorboard", "cv-*"))
    if not check(len(roots) == 1, f"cv: {len(roots)} cv-* folders, expected 1"):
        return
    runs = sorted(d for d in os.listdir(roots[0]) if d.startswith("fold-"))
    check(runs == [f"fold-{k + 1}" for k in range(len(folds))], f"cv: fold runs {runs} for {len(folds)} folds")
    for k, fold in enumerate(folds):
        what = f"cv fold-{k + 1}"
        path = os.path.join(roots[0], f"fold-{k + 1}")
        check_files(path, what)
        acc = accumulator(path)
        for key in ["loss", "val_loss"]:
            steps = [e.step for e in acc.Scalars(key)] if key in acc.Tags()["scalars"] else []
            check(steps == list(range(1, int(fold["epochs"]) + 1)), f"{what}: {key} at steps {steps}, {fold['epochs']} epochs")
    print(f"check_tensorboard: cv: {len(folds)} fold runs with loss and val_loss per epoch")


def check_tune(directory, trials):
    tensorboard = os.path.join(directory, "tensorboard")
    journal = [json.loads(line) for line in open(os.path.join(directory, "study.jsonl")) if line.strip()]
    metric, space = journal[0]["metric"], journal[0]["space"]
    check_files(tensorboard, "tune")
    experiment = hparams_data(accumulator(tensorboard), "_hparams_/experiment")
    if check(experiment is not None, "tune: no hparams experiment"):
        check(sorted(h.name for h in experiment.experiment.hparam_infos) == sorted(space),
              f"tune: experiment hparams {[h.name for h in experiment.experiment.hparam_infos]}, space {sorted(space)}")
        check(metric in [m.name.tag for m in experiment.experiment.metric_infos], f"tune: experiment lacks {metric}")
    runs = sorted(d for d in os.listdir(tensorboard) if d.startswith("trial-"))
    check(len(runs) == trials, f"tune: {len(runs)} trial runs, expected {trials}")
    for run in runs:
        number = int(run.split("-")[1])
        what = f"tune {run}"
        check_files(os.path.join(tensorboard, run), what)
        acc = accumulator(os.path.join(tensorboard, run))
        start = hparams_data(acc, "_hparams_/session_start_info")
        end = hparams_data(acc, "_hparams_/session_end_info")
        journal_start = next(e for e in journal if e["event"] == "start" and e["trial"] == number)
        if check(start is not None, f"{what}: no session_start_info"):
            values = start.session_start_info.hparams
            for path, value in journal_start["params"].items():
                got = values[path] if path in values else None
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ok = got is not None and got.number_value == value
                else:
                    ok = got is not None and got.WhichOneof("kind") in ("string_value", "bool_value")
                check(ok, f"{what}: hparam {path} = {got}, journal {value}")
        check(end is not None and end.session_end_info.status == 1, f"{what}: no successful session_end_info")
        reports = [{"epoch": e["epoch"] + 1, metric: e["value"]} for e in journal
                   if e["event"] == "report" and e["trial"] == number]
        check(len(reports) > 0, f"{what}: no reports in the journal")
        check_scalars(acc, reports, what)
    print(f"check_tensorboard: tune: hparams experiment over {sorted(space)}, {len(runs)} trial sessions with "
          f"{metric} per epoch")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-dir", required=True)
    parser.add_argument("--tune-dir", required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--linear-dir")
    parser.add_argument("--cv-dir")
    parser.add_argument("--cv-json")
    args = parser.parse_args()
    check_train(args.train_dir)
    if args.linear_dir:
        check_linear(args.linear_dir)
    if args.cv_dir:
        check_cv(args.cv_dir, args.cv_json)
    check_tune(args.tune_dir, args.trials)
    for p in problems:
        print("check_tensorboard: MISMATCH " + p)
    print("check_tensorboard: " + ("ok" if not problems else f"{len(problems)} mismatches"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
