extension Tensor {
    /// A new contiguous tensor whose elements are not initialized, for kernels that write every element
    /// before anything reads it (saves the zero fill of `zeros`). Exported for the kernel code of other
    /// TrainKit modules only, hence the underscore.
    package static func _uninitialized(_ shape: [Int], dtype: DType) -> Tensor {
        Tensor(uninitialized: shape, dtype: dtype)
    }
}
