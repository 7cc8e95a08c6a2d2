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
    package internal(set) var storage: Storage
    public let shape: [Int]
    public let strides: [Int]
    /// Offset of the first element in the storage, in elements.
    public let offset: Int
    public let dtype: DType
    /// The autograd node: a leaf for tensors that require a gradient, an op node for recorded results.
    var node: GradNode?

    @inlinable public var rank: Int { shape.count }
    @inlinable public var count: Int { shape.reduce(1, *) }
    /// Where the elements live; every op runs there.
    public var device: Device { storage.backend.device }
    /// The backend that runs ops on this tensor.
    @inline(__always) package var backend: any Backend { storage.backend }

    init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType, node: GradNode? = nil) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        self.node = node
    }

    /// A new contiguous tensor with uninitialized storage on `backend` (the default device's when nil);
    /// `longLived` for buffers that last the whole run (see ``Backend/allocateLongLived(byteCount:)``).
    package init(uninitialized shape: [Int], dtype: DType, on backend: (any Backend)? = nil, longLived: Bool = false) {
        let n = shape.reduce(1, *)
        self.init(storage: Storage(byteCount: Swift.max(n, 1) * dtype.byteSize,
                                   backend: backend ?? BackendRegistry.defaultBackend, longLived: longLived),
                  shape: shape, strides: Tensor.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// A new contiguous tensor with uninitialized storage on this tensor's device.
    @inline(__always) package func uninitializedLike(_ shape: [Int], dtype: DType? = nil) -> Tensor {
        Tensor(uninitialized: shape, dtype: dtype ?? self.dtype, on: storage.backend)
    }

    /// The backend shared by `a` and `b`; tensors on two devices stop with an error naming both and the op.
    @inline(__always) package static func commonBackend(_ a: Tensor, _ b: Tensor, op: StaticString) -> any Backend {
        let backend = a.storage.backend
        if backend !== b.storage.backend {
            preconditionFailure("\(op): tensors on different devices (\(a.device) and \(b.device)); move one with to(device:)")
        }
        return backend
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

    /// Device address of the first element (shared storage: written only into buffers an op just created).
    @inline(__always) package var address: UnsafeMutableRawPointer { storage.pointer + offset * dtype.byteSize }

    /// A contiguous tensor with the same values (itself when already contiguous). Differentiable.
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let out = uninitializedLike(shape)
        copyStrided(into: out.address)
        return Tensor.record(out, op: "contiguous", self) { g, _ in [g] }
    }

    /// Copies the elements in row-major order into `destination` (count * byteSize bytes of this device).
    func copyStrided(into destination: UnsafeMutableRawPointer) {
        if isContiguous {
            backend.copy(byteCount: count * dtype.byteSize, from: address, to: destination)
        } else {
            backend.copyStrided(elementSize: dtype.byteSize, shape: shape, source: address, strides: strides,
                                destination: destination)
        }
    }
}

// MARK: - Element access

extension Tensor {
    /// The elements in row-major order as `Float` (converting from any dtype).
    public func toArray() -> [Float] { toArray(as: Float.self) }

    /// The elements in row-major order converted to `T`.
    public func toArray<T: TensorScalar>(as _: T.Type) -> [T] {
        let c = (dtype == T.dtype ? self : to(T.dtype)).contiguousData()
        let n = count
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            if n > 0 { c.backend.copyToHost(c.address, buffer.baseAddress!, byteCount: n * MemoryLayout<T>.stride) }
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
        let out = uninitializedLike(shape)
        copyStrided(into: out.address)
        return out
    }

    /// The same values on `device` (itself when already there). Differentiable: the gradient moves back.
    public func to(device: Device) -> Tensor {
        if device == self.device { return self }
        let target = BackendRegistry.require(device)
        let c = contiguousData()
        let out = Tensor(uninitialized: shape, dtype: dtype, on: target)
        let bytes = count * dtype.byteSize
        if bytes > 0 {
            // Through host memory: every backend can read and write it.
            let host = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            defer { host.deallocate() }
            c.backend.copyToHost(c.address, host, byteCount: bytes)
            target.copyFromHost(host, out.address, byteCount: bytes)
        }
        let source = self.device
        return Tensor.record(out, op: "to_device", self) { g, _ in [g.to(device: source)] }
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
