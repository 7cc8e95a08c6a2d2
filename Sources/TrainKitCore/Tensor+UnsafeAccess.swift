extension Tensor {
    /// Calls `body` with the elements in row-major order (a contiguous copy is made for strided views).
    /// `T` must match `dtype` (`Float` for float32, `Double` for float64, `Int64`, `Int32`, `Bool`).
    package func withUnsafeBufferPointer<T: TensorScalar, R>(
        as _: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) rethrows -> R {
        precondition(T.dtype == dtype, "withUnsafeBufferPointer: tensor is \(dtype), asked for \(T.dtype)")
        let c = contiguousData()
        guard c.backend.isHostAccessible else { return try toArray(as: T.self).withUnsafeBufferPointer(body) }
        return try withExtendedLifetime(c) {
            try body(UnsafeBufferPointer(start: c.address.assumingMemoryBound(to: T.self), count: c.count))
        }
    }

    /// A new tensor of `shape` on the default device whose elements `fill` writes in host memory (loaders;
    /// staged through a host copy when the device's memory is not host-accessible).
    /// The buffer starts uninitialized: `fill` must write every element.
    package static func make<T: TensorScalar>(
        shape: [Int], as _: T.Type, _ fill: (UnsafeMutableBufferPointer<T>) throws -> Void
    ) rethrows -> Tensor {
        let out = Tensor(uninitialized: shape, dtype: T.dtype)
        if out.backend.isHostAccessible {
            try fill(UnsafeMutableBufferPointer(start: out.address.assumingMemoryBound(to: T.self), count: out.count))
            return out
        }
        let n = out.count
        var host = [T](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        try host.withUnsafeMutableBufferPointer { try fill($0) }
        return Tensor(host, shape: shape)
    }
}
