import TrainKitCore

/// Tensor helpers of the composed update rules, each the tensor form of a FusedLoop.swift helper with the same
/// rounding: a `Double` scalar is rounded to the tensor's dtype once, as the kernels round `p0`.
extension Tensor {
    /// PyTorch's `lerp(self, end, weight)` for a scalar weight w: `self + w·(end − self)` when |w| < 0.5, else
    /// `end − (end − self)·(1 − w)`, with w and 1 − w in the tensor's dtype.
    func lerp(to end: Tensor, weight: Double) -> Tensor {
        let w = rounded(weight, to: dtype)
        if Swift.abs(w) < 0.5 { return self + (end - self) * w }
        return end - (end - self) * rounded(1 - w, to: dtype)
    }

    /// `torch.maximum`: the larger value per element, NaN where either is NaN (self's NaN wins).
    func nanMaximum(_ other: Tensor) -> Tensor {
        Tensor.where(self .!= self, self, maximum(other))
    }

    /// `self / s` as a true division (`Tensor / Double` multiplies by the reciprocal, which rounds differently).
    func divided(by s: Double) -> Tensor { self / Tensor(scalar: s, dtype: dtype, like: self) }
}

/// `x` at `dtype`'s precision: rounded to `Float` for float32, itself for float64 (what a kernel computes with).
func rounded(_ x: Double, to dtype: DType) -> Double {
    switch dtype {
    case .float32: Double(Float(x))
    case .float64: x
    case .int32, .int64, .bool: preconditionFailure("optimizer: parameters are float32 or float64, got \(dtype)")
    }
}
