// MARK: - Binary arithmetic with broadcasting

extension Tensor {
    /// Runs a binary float kernel over the broadcast of `a` and `b` (same dtype, same device) into a new tensor.
    static func binaryKernel(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, name: StaticString) -> Tensor {
        switch a.dtype {
        case .float32, .float64: break
        case .int32, .int64, .bool:
            // Integer arithmetic goes through float64 (exact for |x| < 2^53) and back.
            return binaryKernel(op, a.to(.float64), b.to(.float64), name: name).to(a.dtype)
        }
        let backend = commonBackend(a, b, op: name)
        // Fast paths: same-shape contiguous operands, or a single-element operand. No array is built and no
        // tensor is copied (each copy costs reference counting on a path that runs for every small op).
        let operands: FlatOperands?
        if a.shape == b.shape && a.isContiguous && b.isContiguous {
            operands = .elementwise
        } else if b.count == 1 && b.rank <= a.rank && a.isContiguous {
            operands = .scalarB
        } else if a.count == 1 && a.rank <= b.rank && b.isContiguous {
            operands = .scalarA
        } else {
            operands = nil
        }
        if let operands {
            let likeB = operands == .scalarA
            let count = likeB ? b.count : a.count
            let out = Tensor(storage: Storage(byteCount: Swift.max(count, 1) * a.dtype.byteSize, backend: backend),
                             shape: likeB ? b.shape : a.shape, strides: likeB ? b.strides : a.strides, offset: 0,
                             dtype: a.dtype)
            if count > 0 {
                backend.binaryFlat(op, a.dtype, count: count, operands: operands, a: a.address, b: b.address,
                                   out: out.address)
            }
            return out
        }
        let shape = broadcastShapes(a.shape, b.shape, op: name)
        let out = Tensor(uninitialized: shape, dtype: a.dtype, on: backend)
        if out.count == 0 { return out }
        let c = coalesce(shape: shape, strides: [a.broadcastStrides(to: shape), b.broadcastStrides(to: shape)])
        backend.binary(op, a.dtype, shape: c.shape, a: a.address, aStrides: c.strides[0], b: b.address,
                       bStrides: c.strides[1], out: out.address)
        return out
    }

    /// Brings both operands to their result dtype (``DType/resultType(_:zeroDim:_:zeroDim:)``, PyTorch's
    /// `torch.result_type`). The casts are recorded, so gradients come back in each operand's own dtype.
    @inline(__always) static func promote(_ a: Tensor, _ b: Tensor) -> (Tensor, Tensor) {
        if a.dtype == b.dtype { return (a, b) }
        let t = DType.resultType(a.dtype, zeroDim: a.rank == 0, b.dtype, zeroDim: b.rank == 0)
        return (a.to(t), b.to(t))
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (a, b) = promote(a, b)
        return record(binaryKernel(.add, a, b, name: "add"), op: "add", a, b) { g, _ in [g, g] }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (a, b) = promote(a, b)
        return record(binaryKernel(.sub, a, b, name: "sub"), op: "sub", a, b) { g, _ in [g, -g] }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (a, b) = promote(a, b)
        return record(binaryKernel(.mul, a, b, name: "mul"), op: "mul", a, b) { g, _ in
            [a.requiresGrad ? g * b : nil, b.requiresGrad ? g * a : nil]
        }
    }

    /// True division (PyTorch's `/`): integer and bool operands divide as ``DType/defaultFloat``
    /// (`int64 [1, 2] / int64 [2, 2] → float32 [0.5, 1]`).
    /// d(a/b)/da = 1/b; d(a/b)/db = -a/b² = -out/b.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        var (a, b) = promote(a, b)
        if !a.dtype.isFloatingPoint { (a, b) = (a.to(DType.defaultFloat), b.to(DType.defaultFloat)) }
        return record(binaryKernel(.div, a, b, name: "div"), op: "div", a, b) { g, out in
            [a.requiresGrad ? g / b : nil, b.requiresGrad ? -(g * out / b) : nil]
        }
    }

    /// Element-wise maximum; the gradient goes to the larger input (to `b` on ties).
    public func maximum(_ other: Tensor) -> Tensor {
        let (a, b) = Tensor.promote(self, other)
        return Tensor.record(Tensor.binaryKernel(.maximum, a, b, name: "maximum"), op: "maximum", a, b) {
            g, _ in
            let mask = (a .> b).to(g.dtype)
            return [g * mask, g * (1 - mask)]
        }
    }

    /// Element-wise minimum; the gradient goes to the smaller input (to `b` on ties).
    public func minimum(_ other: Tensor) -> Tensor {
        let (a, b) = Tensor.promote(self, other)
        return Tensor.record(Tensor.binaryKernel(.minimum, a, b, name: "minimum"), op: "minimum", a, b) {
            g, _ in
            let mask = (a .< b).to(g.dtype)
            return [g * mask, g * (1 - mask)]
        }
    }

    /// `self ^ exponent` element-wise: d/da = b·a^(b-1), d/db = out·ln a.
    public func pow(_ exponent: Tensor) -> Tensor {
        let (a, b) = Tensor.promote(self, exponent)
        return Tensor.record(Tensor.binaryKernel(.pow, a, b, name: "pow"), op: "pow", a, b) { g, out in
            [a.requiresGrad ? g * b * a.pow(b - 1) : nil, b.requiresGrad ? g * out * a.log() : nil]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { x.unary(.neg, name: "neg") }
}

// MARK: - Arithmetic with Swift scalars

extension Tensor {
    /// This tensor in the dtype of `self op x` for a Swift `Double` `x` (``DType/withDouble(_:)``): float
    /// tensors as they are, integer and bool tensors as ``DType/defaultFloat``.
    func promotedForDouble() -> Tensor { to(DType.withDouble(dtype)) }

    /// This tensor in the dtype of `self op n` for a Swift `Int` `n` (``DType/withInt(_:)``): bool becomes int64.
    func promotedForInt() -> Tensor { to(DType.withInt(dtype)) }

    // A Swift `Double` is a wrapped number: it never widens a float tensor (float32 + 2.5 → float32) and
    // makes integer and bool tensors float32. Applied without materializing a tensor.
    public static func + (a: Tensor, s: Double) -> Tensor { a.promotedForDouble().unary(.addScalar, s, name: "add") }
    public static func + (s: Double, a: Tensor) -> Tensor { a + s }
    public static func - (a: Tensor, s: Double) -> Tensor { a.promotedForDouble().unary(.addScalar, -s, name: "sub") }
    public static func - (s: Double, a: Tensor) -> Tensor { (-a.promotedForDouble()).unary(.addScalar, s, name: "sub") }
    public static func * (a: Tensor, s: Double) -> Tensor { a.promotedForDouble().unary(.mulScalar, s, name: "mul") }
    public static func * (s: Double, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Double) -> Tensor {
        a.promotedForDouble().unary(.mulScalar, 1 / s, name: "div")
    }
    public static func / (s: Double, a: Tensor) -> Tensor { a.promotedForDouble().reciprocal() * s }

    // A Swift `Int` keeps the tensor's dtype (int32 + 1 → int32, float32 + 1 → float32; bool → int64).
    // Integer arithmetic runs through float64, exact while |values| < 2^53. Division is true division.
    public static func + (a: Tensor, s: Int) -> Tensor { a.promotedForInt().unary(.addScalar, Double(s), name: "add") }
    public static func + (s: Int, a: Tensor) -> Tensor { a + s }
    public static func - (a: Tensor, s: Int) -> Tensor { a.promotedForInt().unary(.addScalar, -Double(s), name: "sub") }
    public static func - (s: Int, a: Tensor) -> Tensor {
        (-a.promotedForInt()).unary(.addScalar, Double(s), name: "sub")
    }
    public static func * (a: Tensor, s: Int) -> Tensor { a.promotedForInt().unary(.mulScalar, Double(s), name: "mul") }
    public static func * (s: Int, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Int) -> Tensor { a / Double(s) }
    public static func / (s: Int, a: Tensor) -> Tensor { Double(s) / a }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}

// MARK: - Unary math and activations

extension Tensor {
    /// Applies a unary kernel; its derivative comes from the backend's matching backward.
    package func unary(_ op: UnaryOp, _ p0: Double = 0, _ p1: Double = 0, name: StaticString) -> Tensor {
        switch dtype {
        case .float32, .float64: break
        case .int32, .int64, .bool: return to(.float64).unary(op, p0, p1, name: name).to(dtype)
        }
        let x = contiguous()
        let out = uninitializedLike(shape)
        backend.unary(op, dtype, count: count, x: x.address, out: out.address, p0: p0, p1: p1)
        return Tensor.record(out, op: name, x) { g, y in
            [Tensor.unaryBackward(op, x: x, y: y, g: g, p0, p1)]
        }
    }

    static func unaryBackward(_ op: UnaryOp, x: Tensor, y: Tensor, g: Tensor, _ p0: Double, _ p1: Double) -> Tensor {
        let g = g.contiguous()
        let gx = x.uninitializedLike(x.shape)
        x.backend.unaryBackward(op, x.dtype, count: x.count, x: x.address, y: y.address, g: g.address, gx: gx.address,
                                p0: p0, p1: p1)
        return gx
    }

    public func exp() -> Tensor { unary(.exp, name: "exp") }
    public func log() -> Tensor { unary(.log, name: "log") }
    public func sqrt() -> Tensor { unary(.sqrt, name: "sqrt") }
    public func abs() -> Tensor { unary(.abs, name: "abs") }
    public func square() -> Tensor { unary(.square, name: "square") }
    public func reciprocal() -> Tensor { unary(.reciprocal, name: "reciprocal") }
    public func sin() -> Tensor { unary(.sin, name: "sin") }
    public func cos() -> Tensor { unary(.cos, name: "cos") }
    public func erf() -> Tensor { unary(.erf, name: "erf") }
    /// -1, 0 or 1 (zero gradient).
    public func sign() -> Tensor { unary(.sign, name: "sign") }
    /// `self ^ exponent`; integer-valued exponents also apply to negative bases.
    public func pow(_ exponent: Double) -> Tensor { unary(.powScalar, exponent, name: "pow") }

    /// max(x, 0).
    public func relu() -> Tensor { unary(.relu, name: "relu") }
    /// 1 / (1 + e^-x).
    public func sigmoid() -> Tensor { unary(.sigmoid, name: "sigmoid") }
    public func tanh() -> Tensor { unary(.tanh, name: "tanh") }
    /// x·σ(x).
    public func silu() -> Tensor { unary(.silu, name: "silu") }
    /// x·Φ(x) (exact, `approximate: false`) or 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
    public func gelu(approximate: Bool = false) -> Tensor {
        approximate ? unary(.geluTanh, name: "gelu") : unary(.gelu, name: "gelu")
    }
    /// log(1 + e^(βx))/β, or x where βx > threshold.
    public func softplus(beta: Double = 1, threshold: Double = 20) -> Tensor {
        unary(.softplus, beta, threshold, name: "softplus")
    }
    /// x for x > 0, else slope·x.
    public func leakyRelu(negativeSlope: Double = 0.01) -> Tensor { unary(.leakyRelu, negativeSlope, name: "leaky_relu") }
    /// x for x > 0, else α(eˣ - 1).
    public func elu(alpha: Double = 1) -> Tensor { unary(.elu, alpha, name: "elu") }
    /// Limits values to `[min, max]` (either may be nil); zero gradient outside.
    public func clamp(min: Double? = nil, max: Double? = nil) -> Tensor {
        unary(.clamp, min ?? .nan, max ?? .nan, name: "clamp")
    }
}
