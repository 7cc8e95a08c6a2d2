"""Writes Tests/Fixtures/safetensors/reference.safetensors with the reference writer (pip install safetensors numpy).

TrainKit's tests read it and check that TrainKit's writer produces the same bytes for the same tensors.
"""
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
    "ids": np.array([3, -1, 7], dtype=np.int64),
    "scale": np.array(2.5, dtype=np.float64),
    "mask": np.array([True, False], dtype=np.bool_),
    "counts": np.array([[1, 2], [3, 4]], dtype=np.int32),
}
save_file(tensors, "Tests/Fixtures/safetensors/reference.safetensors", metadata={"format": "np", "note": "TrainKit fixture"})
