"""Reads TrainKit's MLflow runs back with MLflow's own client and compares them with the run directories.

Called by scripts/check-mlflow after a `trainkit train` and a `trainkit tune` logged to a live server. Every
mismatch is printed; the exit status is 1 when there is any.
"""
import argparse
import json
import math
import os
import sys
import tempfile

import mlflow
import yaml
from mlflow.tracking import MlflowClient

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)
    return condition


def same_number(a, b):
    return a == b or (math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-12 * max(1.0, abs(a), abs(b)))


def flatten(node, prefix=""):
    """config.yaml's leaves under dotted keys, as TrainKit logs its params."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: node}


def same_param(logged, expected):
    if isinstance(expected, bool):
        return logged == ("true" if expected else "false")
    if isinstance(expected, (int, float)):
        try:
            return same_number(float(logged), float(expected))
        except ValueError:
            return False
    if isinstance(expected, list):
        return yaml.safe_load(logged) == expected
    return logged == ("null" if expected is None else str(expected))


def metric_history(client, run_id, key):
    return {m.step: m.value for m in client.get_metric_history(run_id, key)}


def check_params(run, expected, what):
    params = run.data.params
    for key, value in expected.items():
        if check(key in params, f"{what}: param {key} missing"):
            check(same_param(params[key], value), f"{what}: param {key} = {params[key]!r}, config has {value!r}")
    extra = set(params) - set(expected)
    check(not extra, f"{what}: params not in the config: {sorted(extra)}")


def check_epoch_metrics(client, run, epochs, what):
    """epochs: one dict per epoch (metrics.jsonl lines, 'epoch' 1-based)."""
    keys = sorted({k for line in epochs for k in line if k != "epoch"})
    for key in keys:
        history = metric_history(client, run.info.run_id, key)
        expected = {int(line["epoch"]): line[key] for line in epochs if key in line}
        check(set(history) == set(expected), f"{what}: {key} steps {sorted(history)}, expected {sorted(expected)}")
        for step, value in expected.items():
            if step in history:
                check(same_number(history[step], value), f"{what}: {key} at step {step} = {history[step]}, expected {value}")
    return len(keys)


def check_final_metrics(client, run, final, what):
    for key, value in final.items():
        history = metric_history(client, run.info.run_id, "final/" + key)
        if check(0 in history, f"{what}: final/{key} missing"):
            check(same_number(history[0], value), f"{what}: final/{key} = {history[0]}, expected {value}")


def artifact_paths(client, run_id, path=None):
    out = []
    for item in client.list_artifacts(run_id, path):
        out += artifact_paths(client, run_id, item.path) if item.is_dir else [item.path]
    return out


def local_files(directory, skip):
    out = []
    for root, dirs, files in os.walk(directory):
        rel = os.path.relpath(root, directory)
        dirs[:] = [d for d in dirs if not d.startswith(".") and os.path.normpath(os.path.join(rel, d)) not in skip]
        out += [os.path.normpath(os.path.join(rel, f)) for f in files if not f.startswith(".")]
    return sorted(out)


def check_artifacts(client, run, directory, skip, what):
    logged = sorted(artifact_paths(client, run.info.run_id))
    expected = local_files(directory, skip)
    check(logged == expected, f"{what}: artifacts {logged}, expected {expected}")
    with tempfile.TemporaryDirectory() as target:
        mlflow.artifacts.download_artifacts(run_id=run.info.run_id, dst_path=target)
        for path in expected:
            with open(os.path.join(directory, path), "rb") as a, open(os.path.join(target, path), "rb") as b:
                check(a.read() == b.read(), f"{what}: artifact {path} differs from the run directory's file")
    return len(expected)


def main():
    parser = argparse.ArgumentParser()
    for name in ["tracking-uri", "experiment", "train-dir", "tune-dir", "commit", "version"]:
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--trials", type=int, required=True)
    args = parser.parse_args()
    mlflow.set_tracking_uri(args.tracking_uri)
    client = MlflowClient(args.tracking_uri)
    experiment = client.get_experiment_by_name(args.experiment)
    if experiment is None:
        print(f"check_mlflow: no experiment {args.experiment}")
        return 1
    runs = client.search_runs([experiment.experiment_id], max_results=1000)

    # train: params, metrics per epoch, final metrics, tags, artifacts.
    train = [r for r in runs if r.data.tags.get("trainkit.run_directory") == args.train_dir]
    if check(len(train) == 1, f"train: {len(train)} runs for {args.train_dir}, expected 1"):
        run = client.get_run(train[0].info.run_id)
        tags = run.data.tags
        check(run.info.status == "FINISHED", f"train: status {run.info.status}")
        check(tags.get("trainkit.version") == args.version, f"train: trainkit.version {tags.get('trainkit.version')}")
        check(tags.get("mlflow.source.git.commit") == args.commit,
              f"train: mlflow.source.git.commit {tags.get('mlflow.source.git.commit')}, expected {args.commit}")
        check("mlflow.parentRunId" not in tags, "train: has a parent run")
        with open(os.path.join(args.train_dir, "config.yaml")) as f:
            check_params(run, flatten(yaml.safe_load(f)), "train")
        with open(os.path.join(args.train_dir, "metrics.jsonl")) as f:
            epochs = [json.loads(line) for line in f if line.strip()]
        keys = check_epoch_metrics(client, run, epochs, "train")
        with open(os.path.join(args.train_dir, "metrics.json")) as f:
            check_final_metrics(client, run, json.load(f), "train")
        files = check_artifacts(client, run, args.train_dir, {"checkpoints"}, "train")
        print(f"check_mlflow: train run {run.info.run_id}: {len(run.data.params)} params, {keys} metrics x "
              f"{len(epochs)} epochs, {files} artifacts")

    # tune: a parent run, one child run per trial with the journal's values.
    parents = [r for r in runs if r.data.tags.get("trainkit.command") == "tune"]
    if check(len(parents) == 1, f"tune: {len(parents)} parent runs, expected 1"):
        parent = parents[0]
        check(parent.info.status == "FINISHED", f"tune: parent status {parent.info.status}")
        check(parent.data.tags.get("mlflow.source.git.commit") == args.commit, "tune: parent commit tag")
        check_artifacts(client, parent, args.tune_dir, set(), "tune parent")
        journal = [json.loads(line) for line in open(os.path.join(args.tune_dir, "study.jsonl")) if line.strip()]
        metric = journal[0]["metric"]
        children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
        check(len(children) == args.trials, f"tune: {len(children)} child runs, expected {args.trials}")
        for child in children:
            number = int(child.data.tags.get("trainkit.trial", "-1"))
            what = f"tune trial {number}"
            check(child.info.status == "FINISHED", f"{what}: status {child.info.status}")
            check(child.data.tags.get("trainkit.version") == args.version, f"{what}: trainkit.version")
            start = next((e for e in journal if e["event"] == "start" and e["trial"] == number), None)
            finish = next((e for e in journal if e["event"] == "finish" and e["trial"] == number), None)
            if not check(start is not None and finish is not None, f"{what}: not in the journal"):
                continue
            for path, value in start["params"].items():
                logged = child.data.params.get(path)
                check(logged is not None and same_param(logged, value), f"{what}: param {path} = {logged!r}, journal {value!r}")
            reports = [{"epoch": e["epoch"] + 1, metric: e["value"]} for e in journal
                       if e["event"] == "report" and e["trial"] == number]
            check(len(reports) > 0, f"{what}: no reports in the journal")
            check_epoch_metrics(client, child, reports, what)
            check_final_metrics(client, child, finish["metrics"], what)
        best = next((e for e in journal if e["event"] == "finish" and e.get("value") is not None), None)
        print(f"check_mlflow: tune parent {parent.info.run_id}: {len(children)} child runs ({metric} per epoch, "
              f"final metrics, params)")

    for p in problems:
        print("check_mlflow: MISMATCH " + p)
    print("check_mlflow: " + ("ok" if not problems else f"{len(problems)} mismatches"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
