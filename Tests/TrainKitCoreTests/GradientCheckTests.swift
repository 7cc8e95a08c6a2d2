import Testing
import TrainKitCore
import TrainKitTestSupport

/// Float64 finite-difference checks for differentiable ops without a fixture group of their own (the
/// fixture ops are checked case by case in FixtureGroupTests).
@Suite struct GradientCheckTests {
    let a = Tensor.uniform([3, 4], low: -1, high: 1, key: RandomKey(seed: 1), dtype: .float64)
    let b = Tensor.uniform([3, 4], low: 0.5, high: 1.5, key: RandomKey(seed: 2), dtype: .float64)
    let row = Tensor.uniform([4], low: 0.5, high: 1.5, key: RandomKey(seed: 3), dtype: .float64)

    @Test(arguments: ["sin", "cos", "erf", "reciprocal", "sign_times", "gelu_tanh", "to_float32_and_back",
                      "contiguous", "select", "scalar_ops", "pow_tensor", "where", "masked_fill", "sum_to_shape",
                      "mm_transposed", "matmul_batched_broadcast", "softmax_dim0", "log_softmax_dim0", "mean_all",
                      "T", "cat_three", "stack_neg", "narrow_then_pad"])
    func opGradientMatchesFiniteDifferences(_ op: String) {
        let a = self.a, b = self.b, row = self.row
        let failure: String?
        switch op {
        case "sin": failure = gradientCheckFailure([a]) { $0[0].sin() }
        case "cos": failure = gradientCheckFailure([a]) { $0[0].cos() }
        case "erf": failure = gradientCheckFailure([a]) { $0[0].erf() }
        case "reciprocal": failure = gradientCheckFailure([b]) { $0[0].reciprocal() }
        case "sign_times": failure = gradientCheckFailure([a]) { $0[0].sign() * $0[0] }
        case "gelu_tanh": failure = gradientCheckFailure([a]) { $0[0].gelu(approximate: true) }
        case "to_float32_and_back":
            failure = gradientCheckFailure([a], eps: 1e-3, rtol: 1e-3, atol: 1e-4) { $0[0].to(.float32).square().to(.float64) }
        case "contiguous": failure = gradientCheckFailure([a]) { $0[0].T.contiguous() * 2 }
        case "select": failure = gradientCheckFailure([a]) { $0[0].select(1, 2) }
        case "scalar_ops": failure = gradientCheckFailure([b]) { (2 - $0[0]) / 3 + 1 / $0[0] - $0[0] * 0.5 }
        case "pow_tensor": failure = gradientCheckFailure([b, a]) { $0[0].pow($0[1]) }
        case "where": failure = gradientCheckFailure([a, b]) { Tensor.where($0[0] .> 0, $0[0], $0[1]) }
        case "masked_fill": failure = gradientCheckFailure([a]) { $0[0].maskedFill($0[0] .< 0, with: 7) }
        case "sum_to_shape": failure = gradientCheckFailure([a]) { $0[0].sumToShape([1, 4]) }
        case "mm_transposed": failure = gradientCheckFailure([a, b]) { $0[0].T.mm($0[1]) }
        case "matmul_batched_broadcast":
            let x = Tensor.uniform([2, 1, 3, 4], low: -1, high: 1, key: RandomKey(seed: 4), dtype: .float64)
            let y = Tensor.uniform([3, 4, 2], low: -1, high: 1, key: RandomKey(seed: 5), dtype: .float64)
            failure = gradientCheckFailure([x, y]) { $0[0].matmul($0[1]) }
        case "softmax_dim0": failure = gradientCheckFailure([a]) { $0[0].softmax(0) }
        case "log_softmax_dim0": failure = gradientCheckFailure([a]) { $0[0].logSoftmax(0) }
        case "mean_all": failure = gradientCheckFailure([a]) { $0[0].mean().reshape([1]) }
        case "T": failure = gradientCheckFailure([a]) { $0[0].T }
        case "cat_three": failure = gradientCheckFailure([a, b, row]) { Tensor.cat([$0[0], $0[1], $0[2].unsqueeze(0)], dim: 0) }
        case "stack_neg": failure = gradientCheckFailure([a, b]) { Tensor.stack([$0[0], $0[1]], dim: -1) }
        case "narrow_then_pad": failure = gradientCheckFailure([a]) { $0[0].narrow(1, start: 1, length: 2).pad([1, 1, 0, 2], value: 3) }
        default: failure = "unknown op \(op)"
        }
        #expect(failure == nil, "\(op): \(failure ?? "")")
    }
}
