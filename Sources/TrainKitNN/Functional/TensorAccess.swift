import TrainKitCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Raw element access for the recorded ops of this target (im2col, pooling, embedding). Reads go through a
// detached contiguous copy; writes only ever go into freshly made buffers.

/// A float element type an NN kernel loop can run in.
protocol NNFloat: BinaryFloatingPoint, TensorScalar {
    /// `eˣ`: libm for `Double`; for `Float` a branch-free polynomial (Cephes `expf`, ≤ 2 ulp on
    /// [-87, 88]) that inlines into loops and vectorizes, unlike the libm call.
    static func exponential(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
}
extension Float: NNFloat {
    @inline(__always) static func exponential(_ x: Float) -> Float {
        let x = Swift.min(Swift.max(x, -87.0), 88.0)
        // n = round(x·log₂e) by the 1.5·2²³ trick: no libm call, so loops stay vectorizable.
        let shifted = x * 1.442_695_04 + 12_582_912.0
        let n = shifted - 12_582_912.0
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let y = p * r * r + r + 1
        let exponent = (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23  // 2ⁿ as float bits
        return y * Float(bitPattern: exponent)
    }
    /// `1 - 2/(e²ˣ + 1)`, with the Taylor series `x - x³/3 + 2x⁵/15` near 0 (absolute error < 1e-7).
    @inline(__always) static func hyperbolicTangent(_ x: Float) -> Float {
        let big = 1 - 2 / (exponential(2 * x) + 1)
        let x2 = x * x
        let small = x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15)))
        return Swift.abs(x) < 0.0625 ? small : big
    }
}
extension Double: NNFloat {
    @inline(__always) static func exponential(_ x: Double) -> Double { exp(x) }
    @inline(__always) static func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }
}

extension NNFloat {
    /// `1 / (1 + e⁻ˣ)`.
    @inline(__always) static func logistic(_ x: Self) -> Self { 1 / (1 + exponential(-x)) }
}

extension Tensor {
    /// Calls `body` with a pointer to this tensor's elements in row-major order (dtype must be `T`'s).
    func withElements<T: TensorScalar, R>(_: T.Type, _ body: (UnsafePointer<T>) throws -> R) rethrows -> R {
        precondition(dtype == T.dtype, "withElements: tensor is \(dtype), asked for \(T.dtype)")
        let c = detach().contiguous()
        return try withExtendedLifetime(c) {
            try body(UnsafePointer(c.storage.pointer.assumingMemoryBound(to: T.self) + c.offset))
        }
    }

    /// A pointer into a tensor this code has just created (contiguous, not yet shared): the only storage
    /// the NN kernels write to directly.
    func freshPointer<T: TensorScalar>(_: T.Type) -> UnsafeMutablePointer<T> {
        precondition(dtype == T.dtype && isContiguous, "freshPointer: needs a contiguous \(T.dtype) tensor")
        return storage.pointer.assumingMemoryBound(to: T.self) + offset
    }

    /// A new zero-filled tensor of `shape` whose elements `body` writes.
    static func filled<T: TensorScalar>(_ shape: [Int], _: T.Type, _ body: (UnsafeMutablePointer<T>) -> Void) -> Tensor {
        let t = Tensor.zeros(shape, dtype: T.dtype)
        body(t.storage.pointer.assumingMemoryBound(to: T.self) + t.offset)
        return t
    }
}

/// Runs `body` specialised for the float type of `dtype`.
@inline(__always)
func dispatchFloat<R>(_ dtype: DType, op: StaticString, _ body: (any NNFloat.Type) -> R) -> R {
    switch dtype {
    case .float32: return body(Float.self)
    case .float64: return body(Double.self)
    default: preconditionFailure("\(op): needs a float tensor, got \(dtype)")
    }
}

/// `(height, width)` of a 2-d window, stride, padding or dilation. An integer literal sets both, an array
/// literal `[h, w]` each.
public struct Size2d: Equatable, Hashable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    public var height: Int
    public var width: Int

    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }
    /// The same value for both dimensions.
    public init(_ both: Int) { self.init(both, both) }
    public init(integerLiteral value: Int) { self.init(value, value) }
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == 2 || elements.count == 1, "Size2d: needs [h, w], got \(elements)")
        self.init(elements[0], elements[elements.count - 1])
    }
    public var description: String { height == width ? "\(height)" : "(\(height), \(width))" }
}
