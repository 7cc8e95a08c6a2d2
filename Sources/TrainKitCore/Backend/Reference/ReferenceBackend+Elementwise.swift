// Element-wise primitives: the twins of `tk_binary_*`, `tk_compare_*`, `tk_unary_*`, `tk_unary_backward_*`
// (`CTrainKitKernels/elementwise_impl.inc`) and `tk_select` (`index.c`), with the same formulas, evaluated
// in the same order, and the same NaN behaviour.

extension ReferenceBackend {
    /// `out[i] = a[offsetA(i)] op b[offsetB(i)]` over the row-major positions `i` of `shape`.
    package func binary(_ op: BinaryOp, _ dtype: DType, shape: [Int], a: UnsafeRawPointer, aStrides: [Int],
                        b: UnsafeRawPointer, bStrides: [Int], out: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let x = a.elements(T.self), y = b.elements(T.self), o = out.elements(T.self)
            for i in 0..<shape.reduce(1, *) {
                o[i] = Self.arithmetic(op, x[stridedOffset(i, shape: shape, strides: aStrides)],
                                       y[stridedOffset(i, shape: shape, strides: bStrides)])
            }
        }
        withReferenceFloat(dtype, "binary", on: self) { run($0) }
    }

    /// ``binary(_:_:shape:a:aStrides:b:bStrides:out:)`` over `[count]`, a broadcast operand having stride 0.
    package func binaryFlat(_ op: BinaryOp, _ dtype: DType, count: Int, operands: FlatOperands,
                            a: UnsafeRawPointer, b: UnsafeRawPointer, out: UnsafeMutableRawPointer) {
        binary(op, dtype, shape: [count], a: a, aStrides: [operands == .scalarA ? 0 : 1], b: b,
               bStrides: [operands == .scalarB ? 0 : 1], out: out)
    }

    /// `out[i] = a[offsetA(i)] op b[offsetB(i)] ? 1 : 0` (IEEE comparisons: NaN is unequal to everything).
    package func compare(_ op: BinaryOp, _ dtype: DType, shape: [Int], a: UnsafeRawPointer, aStrides: [Int],
                         b: UnsafeRawPointer, bStrides: [Int], out: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let x = a.elements(T.self), y = b.elements(T.self), o = out.elements(UInt8.self)
            for i in 0..<shape.reduce(1, *) {
                let holds = Self.comparison(op, x[stridedOffset(i, shape: shape, strides: aStrides)],
                                            y[stridedOffset(i, shape: shape, strides: bStrides)])
                o[i] = holds ? 1 : 0
            }
        }
        withReferenceFloat(dtype, "compare", on: self) { run($0) }
    }

    /// `out[i] = f(x[i])`, `f` from ``unaryValue(_:_:_:_:)`` with `p0`, `p1` rounded to the element type.
    package func unary(_ op: UnaryOp, _ dtype: DType, count: Int, x: UnsafeRawPointer, out: UnsafeMutableRawPointer,
                       p0: Double, p1: Double) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let xs = x.elements(T.self), o = out.elements(T.self)
            for i in 0..<count { o[i] = Self.unaryValue(op, xs[i], T(p0), T(p1)) }
        }
        withReferenceFloat(dtype, "unary", on: self) { run($0) }
    }

    /// `gx[i] = g[i] · f'(x[i])`, `f'` from ``unaryDerivative(_:_:_:_:_:)`` (given `y = f(x)` too).
    package func unaryBackward(_ op: UnaryOp, _ dtype: DType, count: Int, x: UnsafeRawPointer, y: UnsafeRawPointer,
                               g: UnsafeRawPointer, gx: UnsafeMutableRawPointer, p0: Double, p1: Double) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let xs = x.elements(T.self), ys = y.elements(T.self), gs = g.elements(T.self), o = gx.elements(T.self)
            for i in 0..<count { o[i] = gs[i] * Self.unaryDerivative(op, xs[i], ys[i], T(p0), T(p1)) }
        }
        withReferenceFloat(dtype, "unary backward", on: self) { run($0) }
    }

    /// `out[i] = condition[i] != 0 ? a[i] : b[i]`, element by element of `elementSize` bytes.
    package func select(elementSize: Int, count: Int, condition: UnsafeRawPointer, a: UnsafeRawPointer,
                        b: UnsafeRawPointer, out: UnsafeMutableRawPointer) {
        let c = condition.elements(UInt8.self)
        for i in 0..<count {
            let source = c[i] != 0 ? a : b
            (out + i * elementSize).copyMemory(from: source + i * elementSize, byteCount: elementSize)
        }
    }

    // MARK: Scalar formulas

    /// `x op y` for the arithmetic ops. `maximum` is `x > y ? x : y` and `minimum` `x < y ? x : y`, so a NaN
    /// in `y` is returned and a NaN in `x` is not (as the C kernel).
    static func arithmetic<T: ReferenceFloat>(_ op: BinaryOp, _ x: T, _ y: T) -> T {
        switch op {
        case .add: x + y
        case .sub: x - y
        case .mul: x * y
        case .div: x / y
        case .maximum: x > y ? x : y
        case .minimum: x < y ? x : y
        case .pow: T.pow(x, y)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            preconditionFailure("binary: \(op) is a comparison (use compare)")
        }
    }

    /// Whether `x op y` holds, for the comparison ops.
    static func comparison<T: ReferenceFloat>(_ op: BinaryOp, _ x: T, _ y: T) -> Bool {
        switch op {
        case .equal: x == y
        case .notEqual: x != y
        case .less: x < y
        case .lessEqual: x <= y
        case .greater: x > y
        case .greaterEqual: x >= y
        case .add, .sub, .mul, .div, .maximum, .minimum, .pow:
            preconditionFailure("compare: \(op) is arithmetic (use binary)")
        }
    }

    /// `f(x)` for each unary op (parameters as ``UnaryOp`` documents them). Where a comparison decides, NaN
    /// takes the false branch: `relu(NaN) = 0`, `sign(NaN) = 0`, `step(NaN) = 0`, and a NaN clamp bound is no
    /// bound. `powScalar` is the C library's `pow`, so negative bases work with integer exponents.
    static func unaryValue<T: ReferenceFloat>(_ op: UnaryOp, _ x: T, _ p0: T, _ p1: T) -> T {
        switch op {
        case .neg: -x
        case .exp: T.exp(x)
        case .log: T.log(x)
        case .sqrt: x.squareRoot()
        case .abs: x < 0 ? -x : x
        case .square: x * x
        case .relu: x > 0 ? x : 0
        case .sigmoid: x >= 0 ? 1 / (1 + T.exp(-x)) : T.exp(x) / (1 + T.exp(x))
        case .tanh: T.tanh(x)
        case .silu: x / (1 + T.exp(-x))
        case .gelu: T(0.5) * x * (1 + T.erf(x * T(Constant.sqrtHalf)))  // x·Φ(x)
        case .geluTanh: T(0.5) * x * (1 + T.tanh(geluTanhInner(x)))
        case .softplus: p0 * x > p1 ? x : T.log1p(T.exp(p0 * x)) / p0  // β = p0, threshold = p1
        case .leakyRelu: x > 0 ? x : p0 * x
        case .elu: x > 0 ? x : p0 * (T.exp(x) - 1)
        case .clamp: clamp(x, p0, p1)
        case .powScalar: T.pow(x, p0)
        case .sign: x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .reciprocal: 1 / x
        case .sin: T.sin(x)
        case .cos: T.cos(x)
        case .erf: T.erf(x)
        case .addScalar: x + p0
        case .mulScalar: x * p0
        case .step: x > p0 ? 1 : 0
        }
    }

    /// `f'(x)` for each unary op, given `y = f(x)` where the formula uses it.
    static func unaryDerivative<T: ReferenceFloat>(_ op: UnaryOp, _ x: T, _ y: T, _ p0: T, _ p1: T) -> T {
        switch op {
        case .neg: -1
        case .exp: y
        case .log: 1 / x
        case .sqrt: T(0.5) / y
        case .abs: x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .square: 2 * x
        case .relu: x > 0 ? 1 : 0
        case .sigmoid: y * (1 - y)
        case .tanh: 1 - y * y
        case .silu: siluDerivative(x)
        case .gelu: geluDerivative(x)
        case .geluTanh: geluTanhDerivative(x)
        case .softplus: p0 * x > p1 ? 1 : T.exp(p0 * x) / (1 + T.exp(p0 * x))
        case .leakyRelu: x > 0 ? 1 : p0
        case .elu: x > 0 ? 1 : y + p0
        case .clamp: (!p0.isNaN && x < p0) || (!p1.isNaN && x > p1) ? 0 : 1
        case .powScalar: p0 == 0 ? 0 : p0 * T.pow(x, p0 - 1)
        case .sign, .step: 0
        case .reciprocal: -y * y
        case .sin: T.cos(x)
        case .cos: -T.sin(x)
        case .erf: T(Constant.twoOverSqrtPi) * T.exp(-x * x)
        case .addScalar: 1
        case .mulScalar: p0
        }
    }

    /// `x` limited to `[low, high]`; a NaN bound is no bound, a NaN `x` stays NaN.
    private static func clamp<T: ReferenceFloat>(_ x: T, _ low: T, _ high: T) -> T {
        var y = x
        if !low.isNaN && y < low { y = low }
        if !high.isNaN && y > high { y = high }
        return y
    }

    /// `√(2/π)·(x + 0.044715·x³)`, the argument of tanh in the tanh approximation of GELU.
    private static func geluTanhInner<T: ReferenceFloat>(_ x: T) -> T {
        T(Constant.sqrt2OverPi) * (x + T(Constant.geluCubic) * x * x * x)
    }

    /// d/dx x·σ(x) = σ(x)·(1 + x·(1 - σ(x))).
    private static func siluDerivative<T: ReferenceFloat>(_ x: T) -> T {
        let s = 1 / (1 + T.exp(-x))
        return s * (1 + x * (1 - s))
    }

    /// d/dx x·Φ(x) = Φ(x) + x·φ(x).
    private static func geluDerivative<T: ReferenceFloat>(_ x: T) -> T {
        let cdf = T(0.5) * (1 + T.erf(x * T(Constant.sqrtHalf)))
        let pdf = T.exp(T(-0.5) * x * x) * T(Constant.invSqrt2Pi)
        return cdf + x * pdf
    }

    /// d/dx ½x(1 + tanh u), u = k(x + c·x³): ½(1 + t) + ½x(1 - t²)·k(1 + 3c·x²), t = tanh u.
    private static func geluTanhDerivative<T: ReferenceFloat>(_ x: T) -> T {
        let k = T(Constant.sqrt2OverPi), c = T(Constant.geluCubic)
        let t = T.tanh(geluTanhInner(x))
        return T(0.5) * (1 + t) + T(0.5) * x * (1 - t * t) * k * (1 + 3 * c * x * x)
    }
}

/// Constants of the activation formulas, rounded from `Double` to the element type (as the C kernels' casts).
private enum Constant {
    /// 1/√2.
    static let sqrtHalf = 0.70710678118654752440
    /// 1/√(2π).
    static let invSqrt2Pi = 0.39894228040143267794
    /// √(2/π).
    static let sqrt2OverPi = 0.79788456080286535588
    /// 2/√π.
    static let twoOverSqrtPi = 1.12837916709551257390
    /// The cubic coefficient of the tanh approximation of GELU.
    static let geluCubic = 0.044715
}
