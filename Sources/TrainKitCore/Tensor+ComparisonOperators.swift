// MARK: - Comparison operators as PyTorch spells them

/// `a > b`, `x == 0`, `0.5 < p`: element-wise comparisons that return a bool tensor, as PyTorch's
/// operators do (the dotted forms `.>` etc. are the same operations). Operands broadcast and promote
/// as in arithmetic; no gradient flows through a comparison.
///
/// `Tensor` is not `Equatable`: `a == b` is an element-wise tensor, never a single `Bool` (use
/// `(a == b).all().item() != 0`, or compare ``Tensor/toArray(as:)`` arrays, for that).
extension Tensor {
    public static func == (a: Tensor, b: Tensor) -> Tensor { a .== b }
    public static func != (a: Tensor, b: Tensor) -> Tensor { a .!= b }
    public static func < (a: Tensor, b: Tensor) -> Tensor { a .< b }
    public static func <= (a: Tensor, b: Tensor) -> Tensor { a .<= b }
    public static func > (a: Tensor, b: Tensor) -> Tensor { a .> b }
    public static func >= (a: Tensor, b: Tensor) -> Tensor { a .>= b }

    public static func == (a: Tensor, s: Double) -> Tensor { a .== s }
    public static func != (a: Tensor, s: Double) -> Tensor { a .!= s }
    public static func < (a: Tensor, s: Double) -> Tensor { a .< s }
    public static func <= (a: Tensor, s: Double) -> Tensor { a .<= s }
    public static func > (a: Tensor, s: Double) -> Tensor { a .> s }
    public static func >= (a: Tensor, s: Double) -> Tensor { a .>= s }

    public static func == (a: Tensor, n: Int) -> Tensor { a .== n }
    public static func != (a: Tensor, n: Int) -> Tensor { a .!= n }
    public static func < (a: Tensor, n: Int) -> Tensor { a .< n }
    public static func <= (a: Tensor, n: Int) -> Tensor { a .<= n }
    public static func > (a: Tensor, n: Int) -> Tensor { a .> n }
    public static func >= (a: Tensor, n: Int) -> Tensor { a .>= n }

    // A scalar on the left mirrors the comparison: `0.5 < p` is `p > 0.5`.
    public static func == (s: Double, a: Tensor) -> Tensor { a .== s }
    public static func != (s: Double, a: Tensor) -> Tensor { a .!= s }
    public static func < (s: Double, a: Tensor) -> Tensor { a .> s }
    public static func <= (s: Double, a: Tensor) -> Tensor { a .>= s }
    public static func > (s: Double, a: Tensor) -> Tensor { a .< s }
    public static func >= (s: Double, a: Tensor) -> Tensor { a .<= s }
    public static func == (n: Int, a: Tensor) -> Tensor { a .== n }
    public static func != (n: Int, a: Tensor) -> Tensor { a .!= n }
    public static func < (n: Int, a: Tensor) -> Tensor { a .> n }
    public static func <= (n: Int, a: Tensor) -> Tensor { a .>= n }
    public static func > (n: Int, a: Tensor) -> Tensor { a .< n }
    public static func >= (n: Int, a: Tensor) -> Tensor { a .<= n }
}

// MARK: - Truth reductions

extension Tensor {
    /// A 0-d bool tensor: whether every element is non-zero (`true` for an empty tensor), as `torch.all`.
    public func all() -> Tensor {
        let zeros = (self.to(.float64) .== 0).to(.float64).sum()
        return zeros .== 0
    }

    /// A 0-d bool tensor: whether any element is non-zero (`false` for an empty tensor), as `torch.any`.
    public func any() -> Tensor {
        let nonZeros = (self.to(.float64) .!= 0).to(.float64).sum()
        return nonZeros .> 0
    }
}
