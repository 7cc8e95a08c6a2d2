/// Element-wise binary operations of ``Backend/binary(_:_:shape:a:aStrides:b:bStrides:out:)``. The raw values
/// are those of the C kernels (`tk_binary_op`). Comparisons write through `compare` into bool outputs.
package enum BinaryOp: Int32, Sendable, CaseIterable {
    case add = 0, sub, mul, div, maximum, minimum, pow
    case equal, notEqual, less, lessEqual, greater, greaterEqual
}

/// Element-wise unary operations; `p0`, `p1` carry each op's parameters (noted per case). Raw values are those
/// of `tk_unary_op`.
package enum UnaryOp: Int32, Sendable, CaseIterable {
    case neg = 0, exp, log, sqrt, abs, square, relu, sigmoid, tanh, silu
    case gelu, geluTanh
    /// `log(1 + e^(p0·x))/p0`, or `x` where `p0·x > p1`.
    case softplus
    /// slope `p0`.
    case leakyRelu
    /// alpha `p0`.
    case elu
    /// bounds `[p0, p1]`, NaN = no bound.
    case clamp
    /// exponent `p0`.
    case powScalar
    case sign, reciprocal, sin, cos, erf
    /// `x + p0`.
    case addScalar
    /// `x · p0`.
    case mulScalar
    /// `x > p0 ? 1 : 0`.
    case step
}

/// Reductions over the middle axis of `[outer, extent, inner]`. Raw values are those of `tk_reduce_op`.
package enum ReduceOp: Int32, Sendable, CaseIterable {
    case sum = 0, max, min, prod
}

/// Which operand of a flat binary op is one element broadcast over all others.
package enum FlatOperands: Sendable {
    /// Both have `count` contiguous elements.
    case elementwise
    /// `a` has `count` elements, `b` one.
    case scalarB
    /// `a` has one element, `b` `count`.
    case scalarA
}
