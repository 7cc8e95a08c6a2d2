import Foundation
import Testing
@testable import TrainKitCore
import TrainKitTestSupport

@Suite struct TensorTests {
    @Test func creationFunctions() {
        #expect(Tensor.zeros([2, 2]).toArray() == [0, 0, 0, 0])
        #expect(Tensor.full(2.5, shape: [3]).toArray() == [2.5, 2.5, 2.5])
        #expect(Tensor.arange(0, 5).toArray(as: Int64.self) == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(1, 2, step: 0.25, dtype: .float32).toArray() == [1, 1.25, 1.5, 1.75])
        #expect(Tensor.linspace(0, 1, count: 5).toArray() == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor.eye(2, 3).toArray() == [1, 0, 0, 0, 1, 0])
        #expect(Tensor(scalar: 3).shape == [])
    }

    @Test func dtypesRoundTrip() {
        let i = Tensor([1, -2, 3] as [Int32])
        #expect(i.dtype == .int32)
        #expect(i.to(.float64).toArray(as: Double.self) == [1, -2, 3])
        #expect(i.to(.int64).toArray(as: Int64.self) == [1, -2, 3])
        let mask = Tensor([true, false, true])
        #expect(mask.dtype == .bool)
        #expect(mask.to(.float32).toArray() == [1, 0, 1])
        #expect((Tensor([1, 5, 3] as [Float]) .> 2).toArray(as: Bool.self) == [false, true, true])
        #expect((Tensor([1, 2] as [Int64]) + Tensor([3, 4] as [Int64])).toArray(as: Int64.self) == [4, 6])
        #expect((Tensor([1, 2] as [Int64]) + Tensor([0.5, 0.5] as [Float])).dtype == .float32)
    }

    @Test func viewsShareStorageAndCopyOnlyWhenNeeded() {
        let x = Tensor((0..<12).map(Float.init), shape: [3, 4])
        let t = x.T
        #expect(t.storage === x.storage)
        #expect(!t.isContiguous)
        #expect(t.toArray() == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        let n = x.narrow(1, start: 1, length: 2)
        #expect(n.storage === x.storage)
        #expect(n.toArray() == [1, 2, 5, 6, 9, 10])
        #expect(x.reshape([4, 3]).storage === x.storage)
        #expect(x.expand([2, 3, 4]).storage === x.storage)
    }

    @Test func whereAndMaskedFillSelectElements() {
        let x = Tensor([1, -2, 3, -4] as [Float])
        #expect(x.maskedFill(x .< 0, with: 0).toArray() == [1, 0, 3, 0])
        let y = Tensor.where(x .> 0, x, Tensor(scalar: -1))
        #expect(y.toArray() == [1, -1, 3, -1])
        let inf = x.maskedFill(x .< 0, with: -.infinity).softmax()
        #expect(inf.toArray()[1] == 0)
    }

    @Test func sameSeedSameNumbers() {
        let a = Tensor.normal([1000], key: RandomKey(seed: 7))
        let b = Tensor.normal([1000], key: RandomKey(seed: 7))
        let c = Tensor.normal([1000], key: RandomKey(seed: 8))
        #expect(a.toArray() == b.toArray())
        #expect(a.toArray() != c.toArray())
        Random.seed(42)
        let u1 = Tensor.uniform([10]).toArray()
        Random.seed(42)
        #expect(Tensor.uniform([10]).toArray() == u1)
        #expect(Tensor.randperm(10, key: RandomKey(seed: 1)).toArray(as: Int64.self).sorted() == (0..<10).map(Int64.init))
        #expect(Tensor.permutation(50, key: RandomKey(seed: 3)) == Tensor.permutation(50, key: RandomKey(seed: 3)))
    }

    @Test func randomDistributionsHaveTheRightMoments() {
        let n = Tensor.normal([20000], mean: 2, std: 3, key: RandomKey(seed: 11))
        #expect(Swift.abs(n.mean().item() - 2) < 0.1)
        #expect(Swift.abs(n.std().item() - 3) < 0.1)
        let u = Tensor.uniform([20000], low: -1, high: 3, key: RandomKey(seed: 12))
        #expect(u.min().item() >= -1 && u.max().item() < 3)
        #expect(Swift.abs(u.mean().item() - 1) < 0.05)
        let b = Tensor.bernoulli([20000], p: 0.3, key: RandomKey(seed: 13))
        #expect(Swift.abs(b.mean().item() - 0.3) < 0.02)
    }

    /// Known-answer vectors of Philox-4x32-10 from the Random123 distribution (kat_vectors).
    @Test func philoxMatchesRandom123KnownAnswers() {
        let zero = RandomKey(k0: 0, k1: 0).philox(counter: (0, 0, 0, 0))
        #expect([zero.0, zero.1, zero.2, zero.3] == [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = RandomKey(k0: 0xffff_ffff, k1: 0xffff_ffff).philox(counter: (0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff))
        #expect([ones.0, ones.1, ones.2, ones.3] == [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = RandomKey(k0: 0xa409_3822, k1: 0x299f_31d0).philox(counter: (0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344))
        #expect([pi.0, pi.1, pi.2, pi.3] == [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }

    @Test func largeElementwiseWorkMatchesSmallChunks() {
        // 300k elements take the multi-threaded path; compare with a plain Swift loop.
        let a = Tensor.uniform([300_000], low: -2, high: 2, key: RandomKey(seed: 5))
        let b = Tensor.uniform([300_000], low: 0.5, high: 2, key: RandomKey(seed: 6))
        let fast = ((a * b + a) / b).relu().toArray()
        let av = a.toArray(), bv = b.toArray()
        let reference = (0..<av.count).map { i in Swift.max((av[i] * bv[i] + av[i]) / bv[i], 0) }
        #expect(fast == reference)
        let s = a.sum().item()
        let rs = av.reduce(0.0) { $0 + Double($1) }
        #expect(Swift.abs(s - rs) < 1e-2)
        let rows = a.reshape([300, 1000]).sum([1]).toArray()
        for r in [0, 150, 299] {
            let expected = av[(r * 1000)..<((r + 1) * 1000)].reduce(0.0) { $0 + Double($1) }
            #expect(Swift.abs(Double(rows[r]) - expected) < 1e-3)
        }
    }

    @Test func shapeMismatchStopsWithOpAndShapes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        } .map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("add: shapes [2, 3] and [4] cannot be broadcast"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).mm(Tensor.zeros([2, 3]))
        } .map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("mm: shapes [2, 3] and [2, 3] cannot be multiplied"))
        }
    }

    /// A float64 input with a float32 weight and bias used to run the float64 GEMM over the float32 buffers,
    /// reading past the end of the weight (AddressSanitizer: heap-buffer-overflow). Mixed dtypes now promote
    /// as `mm` does, and each gradient comes back in its own tensor's dtype.
    @Test func linearMixedDtypeDoesNotOverRead() {
        var x = Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [2, 3])
        var weight = Tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1] as [Float], shape: [4, 3])
        var bias = Tensor([0.5, -1, 2, 0] as [Float])
        x.requiresGrad = true
        weight.requiresGrad = true
        bias.requiresGrad = true
        let y = Tensor.linear(x, weight: weight, bias: bias)
        #expect(y.dtype == .float64)
        #expect(y.toArray(as: Double.self) == [1.5, 1, 5, 6, 4.5, 4, 8, 15])
        y.sum().backward()
        #expect(x.grad!.dtype == .float64 && x.grad!.toArray(as: Double.self) == [2, 2, 2, 2, 2, 2])  // Σ rows of W
        #expect(weight.grad!.dtype == .float32 && weight.grad!.toArray() == Array(repeating: [5, 7, 9], count: 4).flatMap { $0 })
        #expect(bias.grad!.dtype == .float32 && bias.grad!.toArray() == [2, 2, 2, 2])

        // The other way round: a float32 input with a float64 weight also computes in float64.
        let z = Tensor.linear(Tensor([1, 2, 3] as [Float], shape: [1, 3]), weight: weight.detach().to(.float64))
        #expect(z.dtype == .float64)
        #expect(z.toArray(as: Double.self) == [1, 2, 3, 6])
    }
}
