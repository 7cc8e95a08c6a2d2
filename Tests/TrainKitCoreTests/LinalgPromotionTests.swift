import Foundation
import Testing
@testable import TrainKitCore

/// Matrix products with mixed float dtypes compute in the promoted dtype (float32 · float64 → float64) and
/// give the float64 computation's values; integer operands stop with a named error.
@Suite struct LinalgPromotionTests {
    /// Values that float32 cannot hold exactly, so a product computed in float32 would differ.
    static func values(_ count: Int, seed: Double) -> [Double] {
        (0..<count).map { i in
            let wrapped: Double = (Double(i) * 0.37 + seed).truncatingRemainder(dividingBy: 1.9)
            let tiny: Double = 1e-9 * Double(i)
            return wrapped - 0.95 + tiny
        }
    }

    @Test func linearFloat64InputWithFloat32WeightAndBiasIsTheFloat64Computation() {
        let (rows, inF, outF) = (5, 7, 3)
        let x = Tensor(Self.values(rows * inF, seed: 0.1), shape: [rows, inF])
        let w = Tensor(Self.values(outF * inF, seed: 0.7).map(Float.init), shape: [outF, inF])
        let b = Tensor(Self.values(outF, seed: 0.3).map(Float.init))
        let y = Tensor.linear(x, weight: w, bias: b)
        #expect(y.dtype == .float64)
        // The same product with every operand widened first, bit for bit.
        let reference = Tensor.linear(x, weight: w.to(.float64), bias: b.to(.float64))
        #expect(y.toArray(as: Double.self) == reference.toArray(as: Double.self))
        // And a plain float64 loop over the widened values.
        let xv = x.toArray(as: Double.self), wv = w.toArray(as: Double.self), bv = b.toArray(as: Double.self)
        let out = y.toArray(as: Double.self)
        for r in 0..<rows {
            for o in 0..<outF {
                let expected = bv[o] + (0..<inF).reduce(0.0) { $0 + xv[r * inF + $1] * wv[o * inF + $1] }
                #expect(Swift.abs(out[r * outF + o] - expected) < 1e-14)
            }
        }
        // A batched input `[2, rows, in]` promotes the same way.
        let batched = Tensor.linear(Tensor.stack([x, x]), weight: w, bias: b)
        #expect(batched.dtype == .float64 && batched.toArray(as: Double.self) == out + out)
    }

    @Test func mmBmmAndMatmulPromote() {
        let a = Tensor(Self.values(6, seed: 0.2).map(Float.init), shape: [2, 3])
        let b = Tensor(Self.values(12, seed: 0.9), shape: [3, 4])
        let mm = a.mm(b)
        #expect(mm.dtype == .float64)
        #expect(mm.toArray(as: Double.self) == a.to(.float64).mm(b).toArray(as: Double.self))
        let ab = Tensor.stack([a, a]), bb = Tensor.stack([b, b])
        let bmm = bb.transpose(1, 2).bmm(ab.transpose(1, 2))  // float64 · float32
        #expect(bmm.dtype == .float64)
        #expect(bmm.toArray(as: Double.self) == bb.transpose(1, 2).bmm(ab.to(.float64).transpose(1, 2)).toArray(as: Double.self))
        let matmul = ab.matmul(b)
        #expect(matmul.dtype == .float64 && matmul.shape == [2, 2, 4])
        #expect(matmul.toArray(as: Double.self) == mm.toArray(as: Double.self) + mm.toArray(as: Double.self))
    }

    @Test func integerOperandsAreANamedError() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1, 2, 3, 4] as [Int64], shape: [2, 2]).mm(Tensor([1, 0, 0, 1] as [Float], shape: [2, 2]))
        } .map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("mm: needs float tensors, got int64 and float32"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.linear(Tensor([1, 2] as [Float], shape: [1, 2]), weight: Tensor([1, 2] as [Int32], shape: [1, 2]))
        } .map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("linear: needs float tensors, got float32 and int32"))
        }
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Tensor([1, 2, 3, 4] as [Int64], shape: [1, 2, 2])
            _ = a.bmm(a)
        } .map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("bmm: needs float tensors, got int64 and int64"))
        }
    }
}
