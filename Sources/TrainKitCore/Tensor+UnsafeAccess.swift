extension Tensor {
    /// Calls `body` with the elements in row-major order (a contiguous copy is made for strided views).
    /// `T` must match `dtype` (`Float` for float32, `Double` for float64, `Int64`, `Int32`, `Bool`).
    public func withUnsafeBufferPointer<T: TensorScalar, R>(
        as _: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) rethrows -> R {
        precondition(T.dtype == dtype, "withUnsafeBufferPointer: tensor is \(dtype), asked for \(T.dtype)")
        let c = contiguousData()
        return try withExtendedLifetime(c) {
            try body(UnsafeBufferPointer(start: c.address.assumingMemoryBound(to: T.self), count: c.count))
        }
    }

    /// A new tensor of `shape` whose elements `fill` writes (kernels outside the core, loaders).
    /// The buffer starts uninitialized: `fill` must write every element.
    public static func make<T: TensorScalar>(
        shape: [Int], as _: T.Type, _ fill: (UnsafeMutableBufferPointer<T>) throws -> Void
    ) rethrows -> Tensor {
        let out = Tensor(uninitialized: shape, dtype: T.dtype)
        try fill(UnsafeMutableBufferPointer(start: out.address.assumingMemoryBound(to: T.self), count: out.count))
        return out
    }
}
