import TrainKit

/// W1–W5 of `shared/bench/README.md`: training steps of TrainKitNN models (forward, mean cross-entropy,
/// backward, optimizer update, gradients cleared) on a pool of 16 seeded batches, with the fixed-trajectory
/// reset (parameters back to their initial values, optimizer state zeroed).
///
/// The optimizers are written inline here (PyTorch semantics, float32, in place) so the workloads time
/// the NN layers and autograd, not an optimizer API. Listed in `Workloads.all` as `NNWorkloads.all`.
enum NNWorkloads {
    static var all: [Workload] {
        [mlp(batch: 128, name: "mlp"), mlp(batch: 16, name: "mlp_small_batch"), lenet(), lstm(), transformer()]
    }

    /// W1 / W2: Linear(784,256)-ReLU-Linear(256,128)-ReLU-Linear(128,10), SGD lr 0.01 momentum 0.9.
    static func mlp(batch: Int, name: String) -> Workload {
        training(name, batch: batch) {
            let keys = RandomKey(seed: 1).split(3)
            let model = Sequential {
                Linear(784, 256, key: keys[0]); ReLU()
                Linear(256, 128, key: keys[1]); ReLU()
                Linear(128, 10, key: keys[2])
            }
            let data = batches(16) { key in Tensor.uniform([batch, 784], key: key) } labels: { labels(batch, 10, $0) }
            return TrainingRun(model: model, data: data, rule: .sgd(lr: 0.01, momentum: 0.9)) { model($0) }
        }
    }

    /// W3: LeNet-5 style CNN on [64, 1, 28, 28], Adam lr 1e-3.
    static func lenet() -> Workload {
        training("lenet", batch: 64) {
            let keys = RandomKey(seed: 2).split(5)
            let model = Sequential {
                Conv2d(1, 6, kernelSize: 5, padding: 2, key: keys[0]); ReLU(); MaxPool2d(2)
                Conv2d(6, 16, kernelSize: 5, key: keys[1]); ReLU(); MaxPool2d(2)
                Flatten()
                Linear(400, 120, key: keys[2]); ReLU()
                Linear(120, 84, key: keys[3]); ReLU()
                Linear(84, 10, key: keys[4])
            }
            let data = batches(16) { key in Tensor.uniform([64, 1, 28, 28], key: key) } labels: { labels(64, 10, $0) }
            return TrainingRun(model: model, data: data, rule: .adam(lr: 1e-3, weightDecay: 0)) { model($0) }
        }
    }

    /// W4: Embedding(5000, 64) → LSTM(64, 128) over 64 steps → final h → Linear(128, 2), Adam lr 1e-3.
    static func lstm() -> Workload {
        training("lstm", batch: 32) {
            let model = LSTMClassifier(key: RandomKey(seed: 3))
            let data = batches(16) { tokens([32, 64], 5000, $0) } labels: { labels(32, 2, $0) }
            return TrainingRun(model: model, data: data, rule: .adam(lr: 1e-3, weightDecay: 0)) { model($0) }
        }
    }

    /// W5: 2-layer pre-norm transformer encoder (d 128, 4 heads, FF 512, GELU) classifier, AdamW lr 1e-3 wd 0.01.
    static func transformer() -> Workload {
        training("transformer", batch: 32) {
            let model = TransformerClassifier(key: RandomKey(seed: 4))
            let data = batches(16) { tokens([32, 64], 5000, $0) } labels: { labels(32, 4, $0) }
            return TrainingRun(model: model, data: data, rule: .adamW(lr: 1e-3, weightDecay: 0.01)) { model($0) }
        }
    }

    static func training(_ name: String, batch: Int, _ build: @escaping () -> TrainingRun) -> Workload {
        Workload(name: name, metric: .samplesPerSecond, size: ("batch", batch), unitsPerStep: Double(batch),
                 isTraining: true) {
            let run = build()
            return WorkloadInstance(step: { run.step($0) }, reset: { run.reset() }, fingerprint: { run.fingerprint() })
        }
    }

    static func batches(_ count: Int, inputs: (RandomKey) -> Tensor, labels: (RandomKey) -> Tensor) -> [(Tensor, Tensor)] {
        RandomKey(seed: 1234).split(count).map { key in
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
    enum Rule {
        case sgd(lr: Float, momentum: Float)
        case adam(lr: Float, weightDecay: Float)
        case adamW(lr: Float, weightDecay: Float)
    }

    let parameters: [Parameter]
    let initial: [Tensor]
    let data: [(Tensor, Tensor)]
    let rule: Rule
    let forward: (Tensor) -> Tensor
    var first: [[Float]]
    var second: [[Float]]
    /// 0.9ᵗ and 0.999ᵗ for Adam's bias corrections.
    var beta1Power = 1.0, beta2Power = 1.0

    init(model: any Module, data: [(Tensor, Tensor)], rule: Rule, forward: @escaping (Tensor) -> Tensor) {
        parameters = model.parameters
        initial = parameters.map { $0.detachedValue.copied() }
        self.data = data
        self.rule = rule
        self.forward = forward
        first = parameters.map { [Float](repeating: 0, count: $0.count) }
        second = first
    }

    func reset() {
        for (p, value) in zip(parameters, initial) { p.value = value.copied() }
        for i in first.indices {
            first[i] = [Float](repeating: 0, count: first[i].count)
            second[i] = first[i]
        }
        (beta1Power, beta2Power) = (1, 1)
    }

    func fingerprint() -> Double {
        parameters.reduce(0) { $0 + $1.detachedValue.abs().sum().item() }
    }

    func step(_ index: Int) {
        let (x, y) = data[index % data.count]
        crossEntropy(logits: forward(x), targets: y).backward()
        beta1Power *= 0.9
        beta2Power *= 0.999
        for (i, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            update(p, gradient: g, index: i)
            p.zeroGrad()
        }
    }

    private func update(_ p: Parameter, gradient: Tensor, index i: Int) {
        let m = first[i].withUnsafeMutableBufferPointer { $0.baseAddress! }
        let v = second[i].withUnsafeMutableBufferPointer { $0.baseAddress! }
        gradient.withUnsafeBufferPointer(as: Float.self) { gb in
            let g = gb.baseAddress!
            p.updateInPlace { w, n in
                switch rule {
                case .sgd(let lr, let mu): sgdStep(w, g, m, n, lr: lr, momentum: mu)
                case .adam(let lr, let wd): adamStep(w, g, m, v, n, lr: lr, weightDecay: wd, decoupled: false)
                case .adamW(let lr, let wd): adamStep(w, g, m, v, n, lr: lr, weightDecay: wd, decoupled: true)
                }
            }
        }
    }

    /// `b = μb + g; w -= lr·b`.
    private func sgdStep(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ b: UnsafeMutablePointer<Float>,
                         _ n: Int, lr: Float, momentum mu: Float) {
        for k in 0..<n {
            let bk = mu * b[k] + g[k]
            b[k] = bk
            w[k] -= lr * bk
        }
    }

    /// Adam (`g += wd·w`) or AdamW (`w *= 1 - lr·wd` first), betas 0.9 / 0.999, eps 1e-8.
    private func adamStep(_ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                          _ v: UnsafeMutablePointer<Float>, _ n: Int, lr: Float, weightDecay wd: Float, decoupled: Bool) {
        let c1 = Float(1 - beta1Power), c2 = Float((1 - beta2Power).squareRoot())
        let step = lr / c1, decay: Float = decoupled ? 1 - lr * wd : 1, l2: Float = decoupled ? 0 : wd
        for k in 0..<n {
            let wk = w[k] * decay
            let gk = g[k] + l2 * wk
            let mk = 0.9 * m[k] + 0.1 * gk, vk = 0.999 * v[k] + 0.001 * gk * gk
            m[k] = mk
            v[k] = vk
            w[k] = wk - step * mk / (vk.squareRoot() / c2 + 1e-8)
        }
    }
}
