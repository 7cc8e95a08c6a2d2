// MARK: - Comparison operators as PyTorch spells them

/// `a > b`, `x == 0`, `p >= 0.5`: element-wise comparisons that return a bool tensor, as PyTorch's
/// operators do (the dotted forms `.>` etc. are the same operations). Operands broadcast and promote
/// as in arithmetic; no gradient flows through a comparison. The scalar goes on the right (`p > 0.5`, not
/// `0.5 < p`), and the scalar forms are generic over `BinaryFloatingPoint` / `BinaryInteger`: concrete
/// `(Tensor, Double)` overloads (or any with the scalar on the left) made the type-checker give up on plain
/// number comparisons in closures (`xs.max { a[$0] < a[$1] }`) in files that import TrainKit, because it tried
/// them first; generic overloads are tried after the standard library's.
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

    // `x > 0.5`: the scalar converts to `Double` and compares as `.>` does with a `Double`.
    public static func == <S: BinaryFloatingPoint>(a: Tensor, s: S) -> Tensor { a .== Double(s) }
    public static func != <S: BinaryFloatingPoint>(a: Tensor, s: S) -> Tensor { a .!= Double(s) }
    public static func < <S: BinaryFloatingPoint>(a: Tensor, s: S) -> Tensor { a .< Double(s) }
    public static func <= <S: BinaryFloatingPoint>(a: Tensor, s: S) -> Tensor { a .<= Double(s) }
    public static func > <S: BinaryFloatingPoint>(a: Tensor, s: S) -> Tensor { a .> Double(s) }
    public static func >= <S: BinaryFloatingPoint>(a: Tensor, s: S) -> Tensor { a .>= Double(s) }

    // `x == 3`: the integer compares as `.==` does with an `Int` (integer tensors stay integers).
    public static func == <S: BinaryInteger>(a: Tensor, n: S) -> Tensor { a .== Int(n) }
    public static func != <S: BinaryInteger>(a: Tensor, n: S) -> Tensor { a .!= Int(n) }
    public static func < <S: BinaryInteger>(a: Tensor, n: S) -> Tensor { a .< Int(n) }
    public static func <= <S: BinaryInteger>(a: Tensor, n: S) -> Tensor { a .<= Int(n) }
    public static func > <S: BinaryInteger>(a: Tensor, n: S) -> Tensor { a .> Int(n) }
    public static func >= <S: BinaryInteger>(a: Tensor, n: S) -> Tensor { a .>= Int(n) }
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
