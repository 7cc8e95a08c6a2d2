import TrainKit

/// W8 of `shared/bench/README.md`: the W1 MLP (freshly initialised, evaluation mode, no autograd), forward only
/// on [1, 784] and [1024, 784] inputs ~ U[0, 1); each call's result is complete before the next starts.
enum InferenceWorkloads {
    static var all: [Workload] { [inference(batch: 1), inference(batch: 1024)] }

    static func inference(batch: Int) -> Workload {
        Workload(name: "inference_b\(batch)", metric: .samplesPerSecond, size: ("batch", batch),
                 unitsPerStep: Double(batch), isTraining: false) {
            let keys = RandomKey(seed: 1).split(3)
            let model = Sequential {
                Linear(784, 256, key: keys[0]); ReLU()
                Linear(256, 128, key: keys[1]); ReLU()
                Linear(128, 10, key: keys[2])
            }
            model.isTraining = false
            let x = Tensor.uniform([batch, 784], key: RandomKey(seed: 1234))
            return WorkloadInstance(step: { _ in noGrad { _ = model(x) } })
        }
    }
}
