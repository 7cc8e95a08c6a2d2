import CTrainKitKernels
import Testing

@testable import TrainKitCore

/// `bmm` hands the whole batch to `tk_sgemm_batched`: small products run one per worker, large ones one after
/// another. Every operand layout (transposed views, a broadcast batch, layouts that need a copy) must give the
/// products of the slices, whatever the thread count.
@Suite struct BatchedGEMMTests {
    /// `[batch, n, k] · [batch, k, m]` in float64, slice by slice (the reference).
    func reference(_ a: Tensor, _ b: Tensor) -> [Double] {
        (0..<a.shape[0]).flatMap { i in
            a.select(0, i).to(.float64).mm(b.select(0, i).to(.float64)).toArray(as: Double.self)
        }
    }

    func expectClose(_ actual: Tensor, _ expected: [Double], _ label: String, k: Int,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let values = actual.toArray()
        #expect(values.count == expected.count, "\(label): \(values.count) values, expected \(expected.count)")
        let tolerance = 4 * Double(k).squareRoot() * Double(Float.ulpOfOne) * Double(k).squareRoot() + 1e-6
        let worst = zip(values, expected).map { Swift.abs(Double($0) - $1) }.max() ?? 0
        #expect(worst <= tolerance, "\(label): worst error \(worst) > \(tolerance)", sourceLocation: sourceLocation)
    }

    /// (batch, n, k, m): attention-sized products (one per worker) and ones large enough to run in turn.
    static let sizes: [(Int, Int, Int, Int)] = [(6, 64, 32, 64), (5, 7, 3, 11), (3, 200, 40, 300), (1, 33, 17, 9)]

    @Test(arguments: sizes.indices)
    func layoutsMatchSliceProducts(_ index: Int) {
        let (batch, n, k, m) = Self.sizes[index]
        let keys = RandomKey(seed: UInt64(index)).split(4)
        let a = Tensor.uniform([batch, n, k], low: -1, high: 1, key: keys[0])
        let b = Tensor.uniform([batch, k, m], low: -1, high: 1, key: keys[1])
        // The same values stored transposed: [batch, k, n] and [batch, m, k] viewed back through transpose(1, 2).
        let aT = a.transpose(1, 2).contiguous().transpose(1, 2)
        let bT = b.transpose(1, 2).contiguous().transpose(1, 2)
        // Batch-major storage permuted so that neither matrix dimension has stride 1 (the operand is copied).
        let aPermuted = a.permute([1, 2, 0]).contiguous().permute([2, 0, 1])
        let expected = reference(a, b)
        for (label, x, y) in [("contiguous", a, b), ("A transposed", aT, b), ("B transposed", a, bT),
                              ("both transposed", aT, bT), ("A permuted", aPermuted, b)] {
            expectClose(x.bmm(y), expected, "\(Self.sizes[index]) \(label)", k: k)
        }
        // A broadcast batch (stride 0): every product uses the first matrix of A.
        let first = a.select(0, 0).unsqueeze(0).expand([batch, n, k])
        expectClose(first.bmm(b), reference(first.contiguous(), b), "\(Self.sizes[index]) broadcast", k: k)
    }

    @Test func sameBitsOnAnyThreadCount() {
        let keys = RandomKey(seed: 9).split(2)
        let a = Tensor.uniform([16, 64, 32], low: -1, high: 1, key: keys[0])
        let b = Tensor.uniform([16, 32, 64], low: -1, high: 1, key: keys[1]).transpose(1, 2).contiguous()
            .transpose(1, 2)
        let saved = tk_get_num_threads()
        defer { tk_set_num_threads(saved) }
        let results = [1, 2, 3].map { threads -> [Float] in
            tk_set_num_threads(Int32(threads))
            return a.bmm(b).toArray()
        }
        #expect(results[0] == results[1] && results[1] == results[2])
    }

    @Test func gradientsMatchSliceProducts() {
        let keys = RandomKey(seed: 3).split(3)
        var a = Tensor.uniform([4, 8, 5], low: -1, high: 1, key: keys[0])
        var b = Tensor.uniform([4, 5, 6], low: -1, high: 1, key: keys[1])
        a.requiresGrad = true
        b.requiresGrad = true
        let g = Tensor.uniform([4, 8, 6], low: -1, high: 1, key: keys[2])
        (a.bmm(b) * g).sum().backward()
        // d/dA = G·Bᵀ, d/dB = Aᵀ·G, slice by slice.
        let expectedA = (0..<4).flatMap { i in
            g.select(0, i).to(.float64).mm(b.detach().select(0, i).to(.float64).T).toArray(as: Double.self)
        }
        let expectedB = (0..<4).flatMap { i in
            a.detach().select(0, i).to(.float64).T.mm(g.select(0, i).to(.float64)).toArray(as: Double.self)
        }
        expectClose(a.grad!, expectedA, "dA", k: 6)
        expectClose(b.grad!, expectedB, "dB", k: 8)
    }
}
