import TrainKit

/// Tensor-op costs (issue 2): the overhead of one small op and the throughput of large element-wise work.
///
/// - `add_16`: `a + b` on 16 floats with autograd recording (`a.requiresGrad`), i.e. the full per-op cost:
///   dispatch, allocation from the pool, the kernel and the graph node. `ns_per_op` is the median step time.
/// - `add_1m`, `mul_relu_1m`, `sum_1m`, `softmax_1024x1000`: 1M-element work, in elements per second
///   (`gb_per_s` counts 4-byte reads and writes).
///
/// The same ops in PyTorch: `scripts/bench_torch_ops.py`.
enum TensorOpWorkloads {
    static var all: [Workload] {
        [
            op("add_16", elements: 16, bytesPerElement: 12) {
                var a = Tensor.uniform([16], key: RandomKey(seed: 1))
                a.requiresGrad = true
                let b = Tensor.uniform([16], key: RandomKey(seed: 2))
                return { _ = a + b }
            },
            op("add_1m", elements: 1 << 20, bytesPerElement: 12) {
                let a = Tensor.uniform([1 << 20], key: RandomKey(seed: 1)), b = Tensor.uniform([1 << 20], key: RandomKey(seed: 2))
                return { _ = a + b }
            },
            op("mul_relu_1m", elements: 1 << 20, bytesPerElement: 20) {
                let a = Tensor.uniform([1 << 20], low: -1, high: 1, key: RandomKey(seed: 1))
                let b = Tensor.uniform([1 << 20], key: RandomKey(seed: 2))
                return { _ = (a * b).relu() }
            },
            op("sum_1m", elements: 1 << 20, bytesPerElement: 4) {
                let a = Tensor.uniform([1 << 20], key: RandomKey(seed: 1))
                return { _ = a.sum() }
            },
            op("softmax_1024x1000", elements: 1024 * 1000, bytesPerElement: 8) {
                let a = Tensor.normal([1024, 1000], key: RandomKey(seed: 1))
                return { _ = a.softmax(-1) }
            },
        ]
    }

    static func op(_ name: String, elements: Int, bytesPerElement: Int, _ make: @escaping () -> () -> Void) -> Workload {
        Workload(name: name, metric: .elementsPerSecond, size: ("elements", elements), unitsPerStep: Double(elements),
                 isTraining: false) {
            let body = make()
            return WorkloadInstance(step: { _ in body() },
                                    extra: [("bytes_per_element", .int(bytesPerElement))])
        }
    }
}
