import CTrainKitKernels

// MARK: - Binary arithmetic with broadcasting

extension Tensor {
    /// Runs a binary float kernel over the broadcast of `a` and `b` (same dtype) into a new tensor.
    static func binaryKernel(_ op: tk_binary_op, _ a: Tensor, _ b: Tensor, name: StaticString) -> Tensor {
        if !a.dtype.isFloatingPoint {
            // Integer arithmetic goes through float64 (exact for |x| < 2^53) and back.
            return binaryKernel(op, a.to(.float64), b.to(.float64), name: name).to(a.dtype)
        }
        // Fast paths: same-shape contiguous operands, or a single-element operand. No array is built.
        var fast: (like: Tensor, sa: Int64, sb: Int64)? = nil
        if a.shape == b.shape && a.isContiguous && b.isContiguous {
            fast = (a, 1, 1)
        } else if b.count == 1 && b.rank <= a.rank && a.isContiguous {
            fast = (a, 1, 0)
        } else if a.count == 1 && a.rank <= b.rank && b.isContiguous {
            fast = (b, 0, 1)
        }
        if var (like, sa, sb) = fast {
            let out = Tensor(storage: Storage(byteCount: Swift.max(like.count, 1) * a.dtype.byteSize),
                             shape: like.shape, strides: like.strides, offset: 0, dtype: a.dtype)
            var n = Int64(like.count)
            if n == 0 { return out }
            if a.dtype == .float32 {
                tk_binary_f32(Int32(op.rawValue), 1, &n, a.basePointer(Float.self), &sa, b.basePointer(Float.self), &sb,
                              out.basePointer(Float.self))
            } else {
                tk_binary_f64(Int32(op.rawValue), 1, &n, a.basePointer(Double.self), &sa, b.basePointer(Double.self),
                              &sb, out.basePointer(Double.self))
            }
            return out
        }
        let shape = broadcastShapes(a.shape, b.shape, op: name)
        let out = Tensor(uninitialized: shape, dtype: a.dtype)
        if out.count == 0 { return out }
        let c = coalesce(shape: shape, strides: [a.broadcastStrides(to: shape), b.broadcastStrides(to: shape)])
        let d64 = c.shape.map(Int64.init), a64 = c.strides[0].map(Int64.init), b64 = c.strides[1].map(Int64.init)
        if a.dtype == .float32 {
            tk_binary_f32(Int32(op.rawValue), Int32(d64.count), d64, a.basePointer(Float.self), a64,
                          b.basePointer(Float.self), b64, out.basePointer(Float.self))
        } else {
            tk_binary_f64(Int32(op.rawValue), Int32(d64.count), d64, a.basePointer(Double.self), a64,
                          b.basePointer(Double.self), b64, out.basePointer(Double.self))
        }
        return out
    }

    /// Brings both operands to one dtype (torch promotion).
    static func promote(_ a: Tensor, _ b: Tensor) -> (Tensor, Tensor) {
        if a.dtype == b.dtype { return (a, b) }
        let t = DType.promoted(a.dtype, b.dtype)
        return (a.to(t), b.to(t))
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (a, b) = promote(a, b)
        return record(binaryKernel(TK_ADD, a, b, name: "add"), op: "add", inputs: [a, b]) { g, _ in [g, g] }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (a, b) = promote(a, b)
        return record(binaryKernel(TK_SUB, a, b, name: "sub"), op: "sub", inputs: [a, b]) { g, _ in [g, -g] }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (a, b) = promote(a, b)
        return record(binaryKernel(TK_MUL, a, b, name: "mul"), op: "mul", inputs: [a, b]) { g, _ in
            [a.requiresGrad ? g * b : nil, b.requiresGrad ? g * a : nil]
        }
    }

    /// d(a/b)/da = 1/b; d(a/b)/db = -a/b² = -out/b.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (a, b) = promote(a, b)
        return record(binaryKernel(TK_DIV, a, b, name: "div"), op: "div", inputs: [a, b]) { g, out in
            [a.requiresGrad ? g / b : nil, b.requiresGrad ? -(g * out / b) : nil]
        }
    }

    /// Element-wise maximum; the gradient goes to the larger input (to `b` on ties).
    public func maximum(_ other: Tensor) -> Tensor {
        let (a, b) = Tensor.promote(self, other)
        return Tensor.record(Tensor.binaryKernel(TK_MAXIMUM, a, b, name: "maximum"), op: "maximum", inputs: [a, b]) {
            g, _ in
            let mask = (a .> b).to(g.dtype)
            return [g * mask, g * (1 - mask)]
        }
    }

    /// Element-wise minimum; the gradient goes to the smaller input (to `b` on ties).
    public func minimum(_ other: Tensor) -> Tensor {
        let (a, b) = Tensor.promote(self, other)
        return Tensor.record(Tensor.binaryKernel(TK_MINIMUM, a, b, name: "minimum"), op: "minimum", inputs: [a, b]) {
            g, _ in
            let mask = (a .< b).to(g.dtype)
            return [g * mask, g * (1 - mask)]
        }
    }

    /// `self ^ exponent` element-wise: d/da = b·a^(b-1), d/db = out·ln a.
    public func pow(_ exponent: Tensor) -> Tensor {
        let (a, b) = Tensor.promote(self, exponent)
        return Tensor.record(Tensor.binaryKernel(TK_POW, a, b, name: "pow"), op: "pow", inputs: [a, b]) { g, out in
            [a.requiresGrad ? g * b * a.pow(b - 1) : nil, b.requiresGrad ? g * out * a.log() : nil]
        }
    }

    public static prefix func - (x: Tensor) -> Tensor { x.unary(TK_NEG, name: "neg") }

    // Scalars: applied without materializing a tensor.
    public static func + (a: Tensor, s: Double) -> Tensor { a.unary(TK_ADD_SCALAR, s, name: "add") }
    public static func + (s: Double, a: Tensor) -> Tensor { a.unary(TK_ADD_SCALAR, s, name: "add") }
    public static func - (a: Tensor, s: Double) -> Tensor { a.unary(TK_ADD_SCALAR, -s, name: "sub") }
    public static func - (s: Double, a: Tensor) -> Tensor { (-a).unary(TK_ADD_SCALAR, s, name: "sub") }
    public static func * (a: Tensor, s: Double) -> Tensor { a.unary(TK_MUL_SCALAR, s, name: "mul") }
    public static func * (s: Double, a: Tensor) -> Tensor { a.unary(TK_MUL_SCALAR, s, name: "mul") }
    public static func / (a: Tensor, s: Double) -> Tensor { a.unary(TK_MUL_SCALAR, 1 / s, name: "div") }
    public static func / (s: Double, a: Tensor) -> Tensor { a.reciprocal() * s }

    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}

// MARK: - Unary math and activations

extension Tensor {
    /// Applies a unary kernel; its derivative comes from the kernel layer's matching backward.
    func unary(_ op: tk_unary_op, _ p0: Double = 0, _ p1: Double = 0, name: StaticString) -> Tensor {
        if !dtype.isFloatingPoint {
            return to(.float64).unary(op, p0, p1, name: name).to(dtype)
        }
        let x = contiguous()
        let out = Tensor(uninitialized: shape, dtype: dtype)
        let n = Int64(count)
        if dtype == .float32 {
            tk_unary_f32(Int32(op.rawValue), n, x.basePointer(Float.self), out.basePointer(Float.self), p0, p1)
        } else {
            tk_unary_f64(Int32(op.rawValue), n, x.basePointer(Double.self), out.basePointer(Double.self), p0, p1)
        }
        return Tensor.record(out, op: name, inputs: [x]) { g, y in
            [Tensor.unaryBackward(op, x: x, y: y, g: g, p0, p1)]
        }
    }

    static func unaryBackward(_ op: tk_unary_op, x: Tensor, y: Tensor, g: Tensor, _ p0: Double, _ p1: Double) -> Tensor {
        let g = g.contiguous()
        let gx = Tensor(uninitialized: x.shape, dtype: x.dtype)
        let n = Int64(x.count)
        if x.dtype == .float32 {
            tk_unary_backward_f32(Int32(op.rawValue), n, x.basePointer(Float.self), y.basePointer(Float.self),
                                  g.basePointer(Float.self), gx.basePointer(Float.self), p0, p1)
        } else {
            tk_unary_backward_f64(Int32(op.rawValue), n, x.basePointer(Double.self), y.basePointer(Double.self),
                                  g.basePointer(Double.self), gx.basePointer(Double.self), p0, p1)
        }
        return gx
    }

    public func exp() -> Tensor { unary(TK_EXP, name: "exp") }
    public func log() -> Tensor { unary(TK_LOG, name: "log") }
    public func sqrt() -> Tensor { unary(TK_SQRT, name: "sqrt") }
    public func abs() -> Tensor { unary(TK_ABS, name: "abs") }
    public func square() -> Tensor { unary(TK_SQUARE, name: "square") }
    public func reciprocal() -> Tensor { unary(TK_RECIPROCAL, name: "reciprocal") }
    public func sin() -> Tensor { unary(TK_SIN, name: "sin") }
    public func cos() -> Tensor { unary(TK_COS, name: "cos") }
    public func erf() -> Tensor { unary(TK_ERF, name: "erf") }
    /// -1, 0 or 1 (zero gradient).
    public func sign() -> Tensor { unary(TK_SIGN, name: "sign") }
    /// `self ^ exponent`; integer-valued exponents also apply to negative bases.
    public func pow(_ exponent: Double) -> Tensor { unary(TK_POW_SCALAR, exponent, name: "pow") }

    /// max(x, 0).
    public func relu() -> Tensor { unary(TK_RELU, name: "relu") }
    /// 1 / (1 + e^-x).
    public func sigmoid() -> Tensor { unary(TK_SIGMOID, name: "sigmoid") }
    public func tanh() -> Tensor { unary(TK_TANH, name: "tanh") }
    /// x·σ(x).
    public func silu() -> Tensor { unary(TK_SILU, name: "silu") }
    /// x·Φ(x) (exact, `approximate: false`) or 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).
    public func gelu(approximate: Bool = false) -> Tensor {
        approximate ? unary(TK_GELU_TANH, name: "gelu") : unary(TK_GELU, name: "gelu")
    }
    /// log(1 + e^(βx))/β, or x where βx > threshold.
    public func softplus(beta: Double = 1, threshold: Double = 20) -> Tensor {
        unary(TK_SOFTPLUS, beta, threshold, name: "softplus")
    }
    /// x for x > 0, else slope·x.
    public func leakyRelu(negativeSlope: Double = 0.01) -> Tensor { unary(TK_LEAKY_RELU, negativeSlope, name: "leaky_relu") }
    /// x for x > 0, else α(eˣ - 1).
    public func elu(alpha: Double = 1) -> Tensor { unary(TK_ELU, alpha, name: "elu") }
    /// Limits values to `[min, max]` (either may be nil); zero gradient outside.
    public func clamp(min: Double? = nil, max: Double? = nil) -> Tensor {
        unary(TK_CLAMP, min ?? .nan, max ?? .nan, name: "clamp")
    }
}
