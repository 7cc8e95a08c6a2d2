import CTrainKitKernels

infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

// MARK: - Comparisons (bool results, no gradient)

extension Tensor {
    static func compare(_ op: tk_binary_op, _ a: Tensor, _ b: Tensor, name: StaticString) -> Tensor {
        var (a, b) = promote(a, b)
        if !a.dtype.isFloatingPoint { a = a.to(.float64); b = b.to(.float64) }
        let shape = broadcastShapes(a.shape, b.shape, op: name)
        let out = Tensor(uninitialized: shape, dtype: .bool)
        if out.count == 0 { return out }
        let c = coalesce(shape: shape, strides: [a.broadcastStrides(to: shape), b.broadcastStrides(to: shape)])
        let d64 = c.shape.map(Int64.init), a64 = c.strides[0].map(Int64.init), b64 = c.strides[1].map(Int64.init)
        let o = out.storage.pointer.assumingMemoryBound(to: UInt8.self)
        if a.dtype == .float32 {
            tk_compare_f32(Int32(op.rawValue), Int32(d64.count), d64, a.basePointer(Float.self), a64,
                           b.basePointer(Float.self), b64, o)
        } else {
            tk_compare_f64(Int32(op.rawValue), Int32(d64.count), d64, a.basePointer(Double.self), a64,
                           b.basePointer(Double.self), b64, o)
        }
        return out
    }

    public static func .== (a: Tensor, b: Tensor) -> Tensor { compare(TK_EQ, a, b, name: "eq") }
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { compare(TK_NE, a, b, name: "ne") }
    public static func .< (a: Tensor, b: Tensor) -> Tensor { compare(TK_LT, a, b, name: "lt") }
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { compare(TK_LE, a, b, name: "le") }
    public static func .> (a: Tensor, b: Tensor) -> Tensor { compare(TK_GT, a, b, name: "gt") }
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { compare(TK_GE, a, b, name: "ge") }
    public static func .== (a: Tensor, s: Double) -> Tensor { a .== Tensor(scalar: s, dtype: a.dtype) }
    public static func .!= (a: Tensor, s: Double) -> Tensor { a .!= Tensor(scalar: s, dtype: a.dtype) }
    public static func .< (a: Tensor, s: Double) -> Tensor { a .< Tensor(scalar: s, dtype: a.dtype) }
    public static func .<= (a: Tensor, s: Double) -> Tensor { a .<= Tensor(scalar: s, dtype: a.dtype) }
    public static func .> (a: Tensor, s: Double) -> Tensor { a .> Tensor(scalar: s, dtype: a.dtype) }
    public static func .>= (a: Tensor, s: Double) -> Tensor { a .>= Tensor(scalar: s, dtype: a.dtype) }

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
        let c = condition.to(.bool).expand(shape).contiguousData()
        let av = a.expand(shape).contiguousData(), bv = b.expand(shape).contiguousData()
        let out = Tensor(uninitialized: shape, dtype: a.dtype)
        let n = out.count, es = a.dtype.byteSize
        let cp = c.basePointer(UInt8.self)
        let ap = av.rawBase, bp = bv.rawBase, op = out.rawBase
        for i in 0..<n {
            (op + i * es).copyMemory(from: (cp[i] != 0 ? ap : bp) + i * es, byteCount: es)
        }
        return record(out, op: "where", inputs: [a, b]) { g, _ in
            let zero = Tensor.zeros([], dtype: g.dtype)
            return [Tensor.where(c, g, zero), Tensor.where(c, zero, g)]
        }
    }

    /// Replaces elements where `mask` is true with `value` (no gradient through the filled positions).
    public func maskedFill(_ mask: Tensor, with value: Double) -> Tensor {
        Tensor.where(mask, Tensor(scalar: value, dtype: dtype), self)
    }

    /// The same values as `dtype` (differentiable between float types).
    public func to(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        let src = contiguousData()
        let out = Tensor(uninitialized: shape, dtype: dtype)
        tk_convert(Int32(self.dtype.rawValue), Int32(dtype.rawValue), Int64(count), src.rawBase, out.rawBase)
        guard dtype.isFloatingPoint && self.dtype.isFloatingPoint else { return out }
        let from = self.dtype
        return Tensor.record(out, op: "to", inputs: [self]) { g, _ in [g.to(from)] }
    }
}

infix operator .& : LogicalConjunctionPrecedence
infix operator .| : LogicalDisjunctionPrecedence
