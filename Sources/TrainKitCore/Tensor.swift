import CTrainKitKernels

/// An n-dimensional array of one ``DType`` with reverse-mode automatic differentiation.
///
/// A tensor is a value: a shared, immutable ``Storage`` plus a layout (`shape`, `strides`, `offset`, all
/// in elements). Views (transpose, narrow, expand, reshape of contiguous data) share the storage and cost
/// no copy. When autograd is recording (see ``noGrad(_:)``) and an input requires a gradient, each op
/// records a node with its backward function; ``backward(_:)`` walks those nodes once and frees them.
///
/// ```swift
/// var x = Tensor([1, 2, 3], shape: [3]); x.requiresGrad = true
/// (x * x).sum().backward()
/// print(x.grad!)   // [2, 4, 6]
/// ```
public struct Tensor: @unchecked Sendable {
    /// The buffer (a `var` only so that uniqueness can be checked before an in-place update).
    public internal(set) var storage: Storage
    public let shape: [Int]
    public let strides: [Int]
    /// Offset of the first element in the storage, in elements.
    public let offset: Int
    public let dtype: DType
    /// The autograd node: a leaf for tensors that require a gradient, an op node for recorded results.
    var node: GradNode?

    @inlinable public var rank: Int { shape.count }
    @inlinable public var count: Int { shape.reduce(1, *) }
    public var device: Device { storage.device }

    init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType, node: GradNode? = nil) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        self.node = node
    }

    /// A new contiguous tensor with uninitialized storage.
    init(uninitialized shape: [Int], dtype: DType) {
        let n = shape.reduce(1, *)
        self.init(storage: Storage(byteCount: Swift.max(n, 1) * dtype.byteSize), shape: shape,
                  strides: Tensor.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// Row-major strides for `shape`.
    @inlinable public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = s
            s *= shape[d]
        }
        return strides
    }

    /// Whether the elements are laid out row-major without gaps (size-1 dims may have any stride).
    public var isContiguous: Bool {
        var expected = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// Pointer to the first element (shared storage: read only unless this tensor owns it).
    @inlinable func basePointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        storage.pointer.assumingMemoryBound(to: T.self) + offset
    }
    @inlinable var rawBase: UnsafeMutableRawPointer { storage.pointer + offset * dtype.byteSize }

    /// A contiguous tensor with the same values (itself when already contiguous). Differentiable.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        var out = Tensor(uninitialized: shape, dtype: dtype)
        copyStrided(into: out.rawBase)
        out = Tensor.record(out, op: "contiguous", inputs: [self]) { g, _ in [g] }
        return out
    }

    /// Copies the elements in row-major order into `destination` (count * byteSize bytes).
    func copyStrided(into destination: UnsafeMutableRawPointer) {
        if isContiguous {
            destination.copyMemory(from: rawBase, byteCount: count * dtype.byteSize)
            return
        }
        let shape64 = shape.map(Int64.init), strides64 = strides.map(Int64.init)
        tk_copy_strided(Int32(dtype.byteSize), Int32(rank), shape64, rawBase, strides64, destination)
    }
}

// MARK: - Element access

extension Tensor {
    /// The elements in row-major order as `Float` (converting from any dtype).
    public func toArray() -> [Float] { toArray(as: Float.self) }

    /// The elements in row-major order converted to `T`.
    public func toArray<T: TensorScalar>(as _: T.Type) -> [T] {
        let c = contiguousData()
        let n = count
        if c.dtype == T.dtype {
            return Array(UnsafeBufferPointer(start: c.basePointer(T.self), count: n))
        }
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            tk_convert(Int32(c.dtype.rawValue), Int32(T.dtype.rawValue), Int64(n), c.rawBase, buffer.baseAddress!)
            initialized = n
        }
    }

    /// The single element of a one-element tensor.
    public func item() -> Double {
        precondition(count == 1, "item(): tensor has \(count) elements, shape \(shape)")
        return toArray(as: Double.self)[0]
    }

    /// A contiguous copy of the data without autograd tracking.
    func contiguousData() -> Tensor {
        if isContiguous { return Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype) }
        let out = Tensor(uninitialized: shape, dtype: dtype)
        copyStrided(into: out.rawBase)
        return out
    }
}

/// Swift scalar types that map to a ``DType``.
public protocol TensorScalar: Sendable {
    static var dtype: DType { get }
}
extension Float: TensorScalar { public static var dtype: DType { .float32 } }
extension Double: TensorScalar { public static var dtype: DType { .float64 } }
extension Int32: TensorScalar { public static var dtype: DType { .int32 } }
extension Int64: TensorScalar { public static var dtype: DType { .int64 } }
extension Bool: TensorScalar { public static var dtype: DType { .bool } }

extension Tensor: CustomStringConvertible {
    public var description: String {
        let values: String
        switch dtype {
        case .float32, .float64: values = toArray(as: Double.self).prefix(64).map { "\($0)" }.joined(separator: ", ")
        case .int32, .int64: values = toArray(as: Int64.self).prefix(64).map { "\($0)" }.joined(separator: ", ")
        case .bool: values = toArray(as: Bool.self).prefix(64).map { "\($0)" }.joined(separator: ", ")
        }
        return "Tensor(shape: \(shape), dtype: \(dtype), [\(values)\(count > 64 ? ", ..." : "")])"
    }
}
