infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

// MARK: - Comparisons (bool results, no gradient)

extension Tensor {
    static func compare(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, name: StaticString) -> Tensor {
        var (a, b) = promote(a, b)
        switch a.dtype {
        case .float32, .float64: break
        case .int32, .int64, .bool: a = a.to(.float64); b = b.to(.float64)
        }
        let backend = commonBackend(a, b, op: name)
        let shape = broadcastShapes(a.shape, b.shape, op: name)
        let out = Tensor(uninitialized: shape, dtype: .bool, on: backend)
        if out.count == 0 { return out }
        let c = coalesce(shape: shape, strides: [a.broadcastStrides(to: shape), b.broadcastStrides(to: shape)])
        backend.compare(op, a.dtype, shape: c.shape, a: a.address, aStrides: c.strides[0], b: b.address,
                        bStrides: c.strides[1], out: out.address)
        return out
    }

    public static func .== (a: Tensor, b: Tensor) -> Tensor { compare(.equal, a, b, name: "eq") }
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { compare(.notEqual, a, b, name: "ne") }
    public static func .< (a: Tensor, b: Tensor) -> Tensor { compare(.less, a, b, name: "lt") }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { compare(.lessEqual, a, b, name: "le") }
    public static func .> (a: Tensor, b: Tensor) -> Tensor { compare(.greater, a, b, name: "gt") }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { compare(.greaterEqual, a, b, name: "ge") }

    // Scalars promote as in arithmetic, then compare: an integer tensor against a `Double` compares as
    // float32 (`int64 [2, 3] .< 2.5` is `[true, false]`); against an `Int` it compares as integers.
    public static func .== (a: Tensor, s: Double) -> Tensor { let (x, y) = a.paired(with: s); return x .== y }
    public static func .!= (a: Tensor, s: Double) -> Tensor { let (x, y) = a.paired(with: s); return x .!= y }
    public static func .< (a: Tensor, s: Double) -> Tensor { let (x, y) = a.paired(with: s); return x .< y }
    public static func .<= (a: Tensor, s: Double) -> Tensor { let (x, y) = a.paired(with: s); return x .<= y }
    public static func .> (a: Tensor, s: Double) -> Tensor { let (x, y) = a.paired(with: s); return x .> y }
    public static func .>= (a: Tensor, s: Double) -> Tensor { let (x, y) = a.paired(with: s); return x .>= y }
    public static func .== (a: Tensor, n: Int) -> Tensor { let (x, y) = a.paired(with: n); return x .== y }
    public static func .!= (a: Tensor, n: Int) -> Tensor { let (x, y) = a.paired(with: n); return x .!= y }
    public static func .< (a: Tensor, n: Int) -> Tensor { let (x, y) = a.paired(with: n); return x .< y }
    public static func .<= (a: Tensor, n: Int) -> Tensor { let (x, y) = a.paired(with: n); return x .<= y }
    public static func .> (a: Tensor, n: Int) -> Tensor { let (x, y) = a.paired(with: n); return x .> y }
    public static func .>= (a: Tensor, n: Int) -> Tensor { let (x, y) = a.paired(with: n); return x .>= y }

    /// This tensor and a 0-d tensor holding `s`, both in the dtype of `self op s` for a Swift `Double`
    /// (``DType/withDouble(_:)``), on this tensor's device.
    func paired(with s: Double) -> (Tensor, Tensor) {
        let x = promotedForDouble()
        return (x, Tensor(scalar: s, dtype: x.dtype, like: x))
    }

    /// This tensor and a 0-d tensor holding `n`, both in the dtype of `self op n` for a Swift `Int`
    /// (``DType/withInt(_:)``).
    func paired(with n: Int) -> (Tensor, Tensor) {
        let x = promotedForInt()
        return (x, Tensor(scalar: Double(n), dtype: x.dtype, like: x))
    }

    /// Logical and / or / not of bool masks.
    public static func .& (a: Tensor, b: Tensor) -> Tensor { (a.to(.float32) * b.to(.float32)).to(.bool) }
    public static func .| (a: Tensor, b: Tensor) -> Tensor { (a.to(.float32) + b.to(.float32)).to(.bool) }
    public func logicalNot() -> Tensor { (self.to(.float32) .== 0) }
}

// MARK: - Selection and casting

extension Tensor {
    /// `condition ? a : b` element-wise with broadcasting; the gradient flows to the selected input only.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let (a, b) = promote(a, b)
        let shape = broadcastShapes(broadcastShapes(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let backend = commonBackend(a, b, op: "where")
        _ = commonBackend(condition, a, op: "where")
        let c = condition.to(.bool).expand(shape).contiguousData()
        let av = a.expand(shape).contiguousData(), bv = b.expand(shape).contiguousData()
        let out = Tensor(uninitialized: shape, dtype: a.dtype, on: backend)
        backend.select(elementSize: a.dtype.byteSize, count: out.count, condition: c.address, a: av.address,
                       b: bv.address, out: out.address)
        return record(out, op: "where", a, b) { g, _ in
            let zero = Tensor.zeros([], dtype: g.dtype, like: g)
            return [Tensor.where(c, g, zero), Tensor.where(c, zero, g)]
        }
    }

    /// Replaces elements where `mask` is true with `value` (no gradient through the filled positions).
    public func maskedFill(_ mask: Tensor, with value: Double) -> Tensor {
        Tensor.where(mask, Tensor(scalar: value, dtype: dtype, like: self), self)
    }

    /// The same values as `dtype` (differentiable between float types).
    public func to(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        let src = contiguousData()
        let out = uninitializedLike(shape, dtype: dtype)
        backend.convert(from: self.dtype, to: dtype, count: count, source: src.address, destination: out.address)
        guard dtype.isFloatingPoint && self.dtype.isFloatingPoint else { return out }
        let from = self.dtype
        return Tensor.record(out, op: "to", self) { g, _ in [g.to(from)] }
    }
}

infix operator .& : LogicalConjunctionPrecedence
infix operator .| : LogicalDisjunctionPrecedence
