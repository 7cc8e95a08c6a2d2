import TrainKit

/// The optimizer step alone (issue 4): one `optimizer.step()` over a 10M-parameter model, ten float32 tensors
/// of [1000, 1000] with fixed N(0, 1) gradients, for SGD with momentum (lr 1e-3, μ 0.9), Adam (lr 1e-3) and
/// AdamW (lr 1e-3, weight decay 0.01). `scripts/bench_torch_optimizer.py` times the same in PyTorch.
///
/// The metric counts parameters updated per second (`samples_per_s` with a sample = one parameter, JSON
/// `"sample": "parameter"`); `bytes_per_param` is the memory traffic of one parameter's update (float32 reads of
/// θ, g and the state, writes of θ and the state: SGD momentum 5 × 4 bytes, Adam/AdamW 7 × 4 bytes), so
/// `gb_per_s = value · bytes_per_param / 1e9`.
enum OptimizerWorkloads {
    static let shapes = Array(repeating: [1000, 1000], count: 10)
    static let parameterCount = shapes.reduce(0) { $0 + $1.reduce(1, *) }

    static var all: [Workload] {
        [
            workload("optim_step_sgd_momentum", SGD(lr: 1e-3, momentum: 0.9), bytesPerParameter: 20),
            workload("optim_step_adam", Adam(lr: 1e-3), bytesPerParameter: 28),
            workload("optim_step_adamw", AdamW(lr: 1e-3, weightDecay: 0.01), bytesPerParameter: 28),
        ]
    }

    static func workload<Rule: UpdateRule>(_ name: String, _ rule: Rule, bytesPerParameter: Int) -> Workload {
        Workload(
            name: name, metric: .samplesPerSecond, size: ("params", parameterCount),
            unitsPerStep: Double(parameterCount), isTraining: false
        ) {
            let keys = RandomKey(seed: 44).split(2 * shapes.count)
            let parameters = shapes.indices.map { k in
                let parameter = Parameter(Tensor.normal(shapes[k], mean: 0, std: 0.02, key: keys[2 * k]))
                parameter.grad = Tensor.normal(shapes[k], mean: 0, std: 1, key: keys[2 * k + 1])
                return parameter
            }
            let optimizer = Optimizer(rule, parameters: parameters)
            return WorkloadInstance(
                step: { _ in optimizer.step() },
                extra: [
                    ("sample", .string("parameter")), ("bytes_per_param", .int(bytesPerParameter)),
                    ("tensors", .int(shapes.count)),
                ])
        }
    }
}
