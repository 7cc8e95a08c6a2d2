# Shared by scripts/check-mlflow and scripts/check-tensorboard (sourced, not run).
# Sets PY (a Python with the packages in $REQUIREMENTS, in a virtual environment made once under
# ${TRAINKIT_CHECK_VENV:-.build/tracking-check-venv}), TRAINKIT (the binary: $TRAINKIT, else a release build),
# WORK (a temporary directory removed on exit) and writes the small configs the checks run.

VENV="${TRAINKIT_CHECK_VENV:-.build/tracking-check-venv}"
if ! "$VENV/bin/python" -c "import $IMPORTS" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check $REQUIREMENTS
fi
PY="$VENV/bin/python"

if [ -z "${TRAINKIT:-}" ]; then
    swift build -c release --product trainkit >/dev/null
    TRAINKIT="$(swift build -c release --product trainkit --show-bin-path)/trainkit"
fi

WORK="$(mktemp -d)"
CLEANUP=("rm -rf $WORK")
trap 'for c in "${CLEANUP[@]}"; do eval "$c"; done' EXIT

DATA="$(pwd)/Examples/configs/data/wine-quality/winequality-red.csv"
# A config folder in a git repository of its own, so the runs know their commit.
mkdir -p "$WORK/configs"
cat > "$WORK/configs/train.yaml" <<YAML
seed: 0
data: {train: $DATA, target: quality, validation_split: 0.2, test_split: 0.2}
model: {kind: mlp, hidden: [16]}
training: {task: classification, epochs: 3, batch_size: 64, optimizer: {name: adam, lr: 0.01}}
output: $WORK/train
YAML
cat > "$WORK/configs/tune.yaml" <<YAML
seed: 0
data: {train: $DATA, target: quality, validation_split: 0.2}
model: {kind: mlp, hidden: {tune: choice, values: [[8], [16]]}}
training:
  task: classification
  epochs: 2
  batch_size: 64
  optimizer: {name: adam, lr: {tune: loguniform, low: 0.001, high: 0.1}}
output: $WORK/tune
YAML
git -C "$WORK/configs" init -q
git -C "$WORK/configs" -c user.name=check -c user.email=check@localhost add . >/dev/null
git -C "$WORK/configs" -c user.name=check -c user.email=check@localhost commit -qm configs
