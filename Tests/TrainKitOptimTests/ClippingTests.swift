import Foundation
import Testing
import TrainKitCore
import TrainKitOptim

/// Gradient clipping beyond the fixture cases: non-finite norms, other p-norms, parameters without gradients.

func parameters(withGradients grads: [[Float]]) -> [Parameter] {
    grads.map { g in
        let p = Parameter(Tensor.zeros([g.count]))
        p.grad = Tensor(g, shape: [g.count])
        return p
    }
}

@Test func clipGradNormThrowsOnNonfiniteNormAndChangesNothing() {
    let ps = parameters(withGradients: [[1, .infinity], [2]])
    #expect(throws: GradientClippingError.nonfiniteNorm(totalNorm: .infinity, normType: 2)) {
        try clipGradNorm(ps, maxNorm: 1)
    }
    #expect(ps[0].grad!.toArray() == [1, .infinity] && ps[1].grad!.toArray() == [2])
    // Without the check the coefficient is 0 and ∞·0 = NaN, as in PyTorch.
    let total = try? clipGradNorm(ps, maxNorm: 1, errorIfNonfinite: false)
    #expect(total == .infinity)
    #expect(ps[1].grad!.toArray() == [0])
    #expect(ps[0].grad!.toArray()[1].isNaN)
}

@Test func clipGradNormUsesTheJointNormAndNeverScalesUp() throws {
    let ps = parameters(withGradients: [[3], [4]])  // joint 2-norm 5
    #expect(try clipGradNorm(ps, maxNorm: 10) == 5)
    #expect(ps[0].grad!.toArray() == [3] && ps[1].grad!.toArray() == [4])
    #expect(try clipGradNorm(ps, maxNorm: 1) == 5)
    let coefficient = Float(1 / (5 + 1e-6))
    #expect(ps[0].grad!.toArray() == [3 * coefficient] && ps[1].grad!.toArray() == [4 * coefficient])
}

@Test func clipGradNormSupportsOtherNormsAndSkipsMissingGradients() throws {
    var ps = parameters(withGradients: [[1, -2], [-4]])
    ps.append(Parameter(Tensor.zeros([3])))  // no gradient
    #expect(try clipGradNorm(ps, maxNorm: 100, normType: 1) == 7)
    #expect(try clipGradNorm(ps, maxNorm: 100, normType: .infinity) == 4)
    #expect(abs(try clipGradNorm(ps, maxNorm: 100, normType: 3) - pow(73, 1.0 / 3)) < 1e-12)
    #expect(ps[2].grad == nil)
    #expect(try clipGradNorm([Parameter(Tensor.zeros([2]))], maxNorm: 1) == 0)
}

@Test func clipGradValueClampsEveryElement() {
    let ps = parameters(withGradients: [[-3, 0.25, 2], [0.5]])
    clipGradValue(ps, clipValue: 0.5)
    #expect(ps[0].grad!.toArray() == [-0.5, 0.25, 0.5] && ps[1].grad!.toArray() == [0.5])
}

@Test func clipGradNormReductionsPropagateNaNAndTakeFloat64Gradients() throws {
    let withNaN = parameters(withGradients: [[1, 2], [.nan, -5]])
    #expect(try clipGradNorm(withNaN, maxNorm: 1, normType: .infinity, errorIfNonfinite: false).isNaN)
    let infinite = parameters(withGradients: [[-7, 2], [.infinity]])
    #expect(try clipGradNorm(infinite, maxNorm: 100, normType: .infinity, errorIfNonfinite: false) == .infinity)
    let p = Parameter(Tensor([0.5, 1] as [Double], shape: [2]))
    p.grad = Tensor([3, 4] as [Double], shape: [2])
    #expect(try clipGradNorm([p], maxNorm: 1) == 5)
    let coefficient = 1 / (5 + 1e-6)
    #expect(p.grad!.dtype == .float64 && p.grad!.toArray(as: Double.self) == [3 * coefficient, 4 * coefficient])
    clipGradValue([p], clipValue: 0.5)
    #expect(p.grad!.toArray(as: Double.self) == [0.5, 0.5])
}

@Test func firstNonfiniteGradientNamesTheFirstBadParameter() {
    var ps = parameters(withGradients: [[1, 2], [3, .infinity], [.nan]])
    #expect(firstNonfiniteGradient(ps) == 1)
    ps[1].grad = nil
    #expect(firstNonfiniteGradient(ps) == 2)
    ps[2].grad = Tensor([-1e38, 1e38] as [Float], shape: [2])  // large but finite: no overflow in the check
    #expect(firstNonfiniteGradient(ps) == nil)
    #expect(firstNonfiniteGradient([]) == nil)
}
