extension Tensor {
    /// The matrices of a `[..., m, n]` float tensor as host float64 matrices (one per batch element), read
    /// through host memory (a copy for backends whose memory the host cannot address).
    package func hostMatrices(op: String) throws -> (batch: [Int], matrices: [HostMatrix]) {
        guard dtype == .float32 || dtype == .float64 else { throw LinalgError(op: op, .unsupportedDType(dtype)) }
        guard rank >= 2 else { throw LinalgError(op: op, .badShape("needs a matrix [..., m, n], got shape \(shape)")) }
        let (m, n) = (shape[rank - 2], shape[rank - 1])
        let batch = Array(shape.dropLast(2))
        let values = toArray(as: Double.self)
        let size = m * n
        let matrices = (0..<batch.reduce(1, *)).map {
            HostMatrix(rows: m, cols: n, values: Array(values[($0 * size)..<(($0 + 1) * size)]))
        }
        return (batch, matrices)
    }

    /// A tensor `[batch..., rows, cols]` of `dtype` on `device` from host matrices of one shape.
    package static func fromHostMatrices(_ matrices: [HostMatrix], batch: [Int], rows: Int, cols: Int,
                                         dtype: DType, device: Device) -> Tensor {
        let flat = matrices.flatMap(\.values)
        return fromHost(flat, shape: batch + [rows, cols], dtype: dtype, device: device)
    }

    /// A tensor of `shape` and `dtype` (float32 or float64) on `device` from host float64 values.
    package static func fromHost(_ values: [Double], shape: [Int], dtype: DType, device: Device) -> Tensor {
        dtype == .float64 ? Tensor(values, shape: shape, device: device)
            : Tensor(values.map { Float($0) }, shape: shape, device: device)
    }
}
