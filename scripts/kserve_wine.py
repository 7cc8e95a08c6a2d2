"""KServe's Python model server (PyPI `kserve`) serving a TrainKit model exported to ONNX, through onnxruntime:
the peer of `trainkit serve` in scripts/bench-serve. Same Open Inference Protocol v2 request (one `input` tensor
[N, C] of FP32), same response (`prediction`).

Usage: python kserve_wine.py MODEL.onnx MODEL.json NAME PORT [WORKERS]
"""
import json
import sys
import uuid

import kserve
import numpy as np
import onnxruntime as ort
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer


class ExportedModel(Model):
    def __init__(self, name, onnx_path, model_json):
        super().__init__(name)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = ort.InferenceSession(onnx_path, options, providers=["CPUExecutionProvider"])
        steps = json.load(open(model_json))["preprocessing"]["table"]["encoder"]["steps"]
        self.columns = [step["name"] for step in steps]
        self.ready = True

    def predict(self, payload: InferRequest, headers=None):
        x = payload.inputs[0].as_numpy()
        feeds = {c: x[:, j:j + 1].astype(np.float64) for j, c in enumerate(self.columns)}
        prediction = self.session.run(["prediction"], feeds)[0].reshape(-1).astype(np.float32)
        output = InferOutput(name="prediction", shape=list(prediction.shape), datatype="FP32")
        output.set_data_from_numpy(prediction, binary_data=False)
        return InferResponse(model_name=self.name, infer_outputs=[output], response_id=payload.id or str(uuid.uuid4()))


if __name__ == "__main__":
    onnx_path, model_json, name, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    workers = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    ModelServer(http_port=port, grpc_port=port + 1, workers=workers, enable_grpc=False).start(
        [ExportedModel(name, onnx_path, model_json)])
