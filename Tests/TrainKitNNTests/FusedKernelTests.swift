import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

/// The fused row normalisation behind layerNorm / groupNorm matches the composite in float64,
/// forward and backward, with and without the affine parameters.
@Test func fusedLayerNormMatchesReference() {
    let x = randomInput([2, 3, 4, 5], seed: 60)
    let weight = randomInput([4, 5], seed: 61), bias = randomInput([4, 5], seed: 62)
    for (w, b) in [(weight, bias), (weight, nil), (nil, nil)] as [(Tensor?, Tensor?)] {
        func run(fused: Bool) -> [Tensor] {
            var leaves = [x, w, b].compactMap { $0 }.map { t -> Tensor in var c = t.copied(); c.requiresGrad = true; return c }
            let (lw, lb) = (w == nil ? nil : leaves[1], b == nil ? nil : leaves[2])
            let y = fused ? layerNorm(leaves[0], normalizedShape: [4, 5], weight: lw, bias: lb, eps: 1e-3)
                : composedLayerNorm(leaves[0], dims: [2, 3], weight: lw, bias: lb, eps: 1e-3)
            (y * randomInput(y.shape, seed: 63)).sum().backward()
            let grads = leaves.map { $0.grad! }
            leaves.removeAll()
            return [y.detach()] + grads
        }
        for (a, r) in zip(run(fused: true), run(fused: false)) {
            let failure = closenessFailure(a, r, rtol: 1e-10, atol: 1e-12)
            #expect(failure == nil, "affine \(w != nil)/\(b != nil): \(failure ?? "")")
        }
    }
}
