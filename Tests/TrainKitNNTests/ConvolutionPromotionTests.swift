import Foundation
import Testing
import TrainKitCore
@testable import TrainKitNN

/// conv2d with mixed float dtypes computes in the promoted dtype; integer operands stop with a named error.
@Suite struct ConvolutionPromotionTests {
    static func values(_ count: Int, seed: Double) -> [Double] {
        (0..<count).map { i in
            let wrapped: Double = (Double(i) * 0.37 + seed).truncatingRemainder(dividingBy: 1.9)
            let tiny: Double = 1e-9 * Double(i)
            return wrapped - 0.95 + tiny
        }
    }

    /// A float64 bias used to be added after a float32 convolution; now the whole convolution runs in float64.
    @Test(arguments: [1, 2])
    func float64BiasGivesTheFloat64Convolution(groups: Int) {
        let x = Tensor(Self.values(2 * 4 * 5 * 5, seed: 0.1).map(Float.init), shape: [2, 4, 5, 5])
        let w = Tensor(Self.values(6 * (4 / groups) * 3 * 3, seed: 0.5).map(Float.init), shape: [6, 4 / groups, 3, 3])
        let b = Tensor(Self.values(6, seed: 0.9), shape: [6])
        let y = conv2d(x, weight: w, bias: b, padding: 1, groups: groups)
        #expect(y.dtype == .float64)
        let reference = conv2d(x.to(.float64), weight: w.to(.float64), bias: b, padding: 1, groups: groups)
        let (got, want) = (y.toArray(as: Double.self), reference.toArray(as: Double.self))
        #expect(zip(got, want).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
    }

    @Test func float32InputWithFloat64WeightIsFloat64() {
        let x = Tensor(Self.values(1 * 2 * 4 * 4, seed: 0.3).map(Float.init), shape: [1, 2, 4, 4])
        let w = Tensor(Self.values(3 * 2 * 2 * 2, seed: 0.6), shape: [3, 2, 2, 2])
        let y = conv2d(x, weight: w)
        #expect(y.dtype == .float64)
        let reference = conv2d(x.to(.float64), weight: w)
        #expect(y.toArray(as: Double.self) == reference.toArray(as: Double.self))
    }

    @Test func integerInputIsANamedError() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 1, 3, 3], dtype: .int64), weight: Tensor.zeros([1, 1, 2, 2]))
        } .map { result in
            let text = String(decoding: result.standardErrorContent, as: UTF8.self)
            #expect(text.contains("conv2d: needs float tensors, got int64 and float32"))
        }
    }
}
