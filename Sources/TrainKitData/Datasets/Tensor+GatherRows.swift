import TrainKitCore

extension Tensor {
    /// The rows `indices` (along dim 0) in a new contiguous tensor: one copy per row, no autograd.
    /// Shapes: `[N, ...] -> [indices.count, ...]`.
    func gatheredRows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gatheredRows: needs rank >= 1, got shape \(shape)")
        switch dtype {
        case .float32: return gatheredRows(indices, as: Float.self)
        case .float64: return gatheredRows(indices, as: Double.self)
        case .int32: return gatheredRows(indices, as: Int32.self)
        case .int64: return gatheredRows(indices, as: Int64.self)
        case .bool: return gatheredRows(indices, as: Bool.self)
        }
    }

    private func gatheredRows<T: TensorScalar>(_ indices: [Int], as _: T.Type) -> Tensor {
        let rows = shape[0]
        let rowShape = Array(shape.dropFirst())
        let width = rowShape.reduce(1, *)
        return withUnsafeBufferPointer(as: T.self) { source in
            Tensor.make(shape: [indices.count] + rowShape, as: T.self) { out in
                guard width > 0, let dst = out.baseAddress, let src = source.baseAddress else { return }
                for (k, i) in indices.enumerated() {
                    precondition(i >= 0 && i < rows, "gatheredRows: row \(i) out of range 0..<\(rows)")
                    (dst + k * width).update(from: src + i * width, count: width)
                }
            }
        }
    }
}
