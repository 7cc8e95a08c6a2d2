import TrainKit

/// W1–W5 of `shared/bench/README.md`: training steps of TrainKitNN models (forward, mean cross-entropy,
/// backward, optimizer update, gradients cleared) on a pool of 16 seeded batches, with the fixed-trajectory
/// reset (parameters back to their initial values, optimizer state zeroed).
///
/// The updates are TrainKitOptim's `SGD`, `Adam` and `AdamW` through `Optimizer`, as a user's training loop runs
/// them; the reset builds a fresh optimizer (zero state, step count 0). Listed in `Workloads.all` as
/// `NNWorkloads.all`.
enum NNWorkloads {
    static var all: [Workload] {
        [mlp(batch: 128, name: "mlp"), mlp(batch: 16, name: "mlp_small_batch"), lenet(), lstm(), transformer()]
    }

    /// W1 / W2: Linear(784,256)-ReLU-Linear(256,128)-ReLU-Linear(128,10), SGD lr 0.01 momentum 0.9.
    static func mlp(batch: Int, name: String) -> Workload {
        training(name, batch: batch) {
            let model = mlpModel()
            let data = batches(16) { key in Tensor.uniform([batch, 784], key: key) } labels: { labels(batch, 10, $0) }
            return TrainingRun(model: model, data: data, optimizer: {
                Optimizer(SGD(lr: 0.01, momentum: 0.9), parameters: $0)
            }) { model($0) }
        }
    }

    /// W3: LeNet-5 style CNN on [64, 1, 28, 28], Adam lr 1e-3.
    static func lenet() -> Workload {
        training("lenet", batch: 64) {
            let model = lenetModel()
            let data = batches(16) { key in Tensor.uniform([64, 1, 28, 28], key: key) } labels: { labels(64, 10, $0) }
            return TrainingRun(model: model, data: data, optimizer: {
                Optimizer(Adam(lr: 1e-3), parameters: $0)
            }) { model($0) }
        }
    }

    /// W1's network, seeded: Linear(784,256)-ReLU-Linear(256,128)-ReLU-Linear(128,10).
    static func mlpModel() -> Sequential {
        let keys = RandomKey(seed: 1).split(3)
        return Sequential {
            Linear(784, 256, key: keys[0]); ReLU()
            Linear(256, 128, key: keys[1]); ReLU()
            Linear(128, 10, key: keys[2])
        }
    }

    /// W3's LeNet-5 style network, seeded.
    static func lenetModel() -> Sequential {
        let keys = RandomKey(seed: 2).split(5)
        return Sequential {
            Conv2d(1, 6, kernelSize: 5, padding: 2, key: keys[0]); ReLU(); MaxPool2d(2)
            Conv2d(6, 16, kernelSize: 5, key: keys[1]); ReLU(); MaxPool2d(2)
            Flatten()
            Linear(400, 120, key: keys[2]); ReLU()
            Linear(120, 84, key: keys[3]); ReLU()
            Linear(84, 10, key: keys[4])
        }
    }

    /// W4: Embedding(5000, 64) → LSTM(64, 128) over 64 steps → final h → Linear(128, 2), Adam lr 1e-3.
    static func lstm() -> Workload {
        training("lstm", batch: 32) {
            let model = LSTMClassifier(key: RandomKey(seed: 3))
            let data = batches(16) { tokens([32, 64], 5000, $0) } labels: { labels(32, 2, $0) }
            return TrainingRun(model: model, data: data, optimizer: {
                Optimizer(Adam(lr: 1e-3), parameters: $0)
            }) { model($0) }
        }
    }

    /// W5: 2-layer pre-norm transformer encoder (d 128, 4 heads, FF 512, GELU) classifier, AdamW lr 1e-3 wd 0.01.
    static func transformer() -> Workload {
        training("transformer", batch: 32) {
            let model = TransformerClassifier(key: RandomKey(seed: 4))
            let data = batches(16) { tokens([32, 64], 5000, $0) } labels: { labels(32, 4, $0) }
            return TrainingRun(model: model, data: data, optimizer: {
                Optimizer(AdamW(lr: 1e-3, weightDecay: 0.01), parameters: $0)
            }) { model($0) }
        }
    }

    static func training(_ name: String, batch: Int, _ build: @escaping () -> TrainingRun) -> Workload {
        Workload(name: name, metric: .samplesPerSecond, size: ("batch", batch), unitsPerStep: Double(batch),
                 isTraining: true) {
            let run = build()
            return WorkloadInstance(step: { run.step($0) }, reset: { run.reset() }, fingerprint: { run.fingerprint() })
        }
    }

    /// `count` seeded (inputs, labels) batches; another `seed` gives another pool (a data-parallel rank's shard).
    static func batches(_ count: Int, seed: UInt64 = 1234, inputs: (RandomKey) -> Tensor,
                        labels: (RandomKey) -> Tensor) -> [(Tensor, Tensor)] {
        RandomKey(seed: seed).split(count).map { key in
            let k = key.split(2)
            return (inputs(k[0]), labels(k[1]))
        }
    }

    static func labels(_ n: Int, _ classes: Int, _ key: RandomKey) -> Tensor { tokens([n], classes, key) }

    static func tokens(_ shape: [Int], _ vocabulary: Int, _ key: RandomKey) -> Tensor {
        var generator = KeyedGenerator(key)
        let n = shape.reduce(1, *)
        return Tensor((0..<n).map { _ in Int64(generator.next(upperBound: UInt64(vocabulary))) }, shape: shape)
    }
}

/// W4's model: embedding, one LSTM layer from zero states, a linear head on the last hidden state.
final class LSTMClassifier: Module {
    let moduleState = ModuleState()
    let embedding: Embedding
    let lstm: LSTM
    let head: Linear

    init(key: RandomKey) {
        let keys = key.split(3)
        embedding = Embedding(5000, 64, key: keys[0])
        lstm = LSTM(64, 128, batchFirst: true, key: keys[1])
        head = Linear(128, 2, key: keys[2])
    }

    func callAsFunction(_ tokens: Tensor) -> Tensor {
        let (_, state) = lstm(embedding(tokens))
        return head(state.h.select(0, 0))
    }
}

/// W5's model: token + learned position embeddings, two pre-norm encoder layers, final norm, mean pool, head.
final class TransformerClassifier: Module {
    let moduleState = ModuleState()
    let tokens: Embedding
    let positions: Embedding
    let layers: [TransformerEncoderLayer]
    let norm: LayerNorm
    let head: Linear
    let positionIndex = Tensor((0..<64).map { Int64($0) }, shape: [64])

    init(key: RandomKey) {
        let keys = key.split(5)
        tokens = Embedding(5000, 128, key: keys[0])
        positions = Embedding(64, 128, key: keys[1])
        layers = keys[2].split(2).map {
            TransformerEncoderLayer(dModel: 128, numHeads: 4, dimFeedforward: 512, dropout: 0, activation: .gelu,
                                    batchFirst: true, normFirst: true, key: $0)
        }
        norm = LayerNorm(128)
        head = Linear(128, 4, key: keys[3])
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var h = tokens(x) + positions(positionIndex)
        for layer in layers { h = layer(h) }
        return head(norm(h).mean(1))
    }
}

/// A model, its data and an optimizer with resettable state.
final class TrainingRun {
    let parameters: [Parameter]
    let initial: [Tensor]
    let data: [(Tensor, Tensor)]
    let makeOptimizer: ([Parameter]) -> any OptimizerProtocol
    let forward: (Tensor) -> Tensor
    var optimizer: any OptimizerProtocol

    init(model: any Module, data: [(Tensor, Tensor)], optimizer: @escaping ([Parameter]) -> any OptimizerProtocol,
         forward: @escaping (Tensor) -> Tensor) {
        parameters = model.parameters
        initial = parameters.map { $0.detachedValue.copied() }
        self.data = data
        makeOptimizer = optimizer
        self.forward = forward
        self.optimizer = optimizer(parameters)
    }

    /// Parameters back to their initial values, a fresh optimizer (zero moments, step count 0).
    func reset() {
        for (p, value) in zip(parameters, initial) { p.value = value.copied() }
        optimizer = makeOptimizer(parameters)
    }

    func fingerprint() -> Double {
        parameters.reduce(0) { $0 + $1.detachedValue.abs().sum().item() }
    }

    func step(_ index: Int) {
        let (x, y) = data[index % data.count]
        crossEntropy(logits: forward(x), targets: y).backward()
        optimizer.step()
        optimizer.zeroGrad()
    }
}
