import TrainKitCore

// Host access for the plain-Swift convolution twins in ConvolutionReference.swift, a test oracle that reads
// and writes host arrays. Ops never use these: they reach elements through their backend's primitives.
// These go when those twins move into the reference backend.

/// A float element type the host loops of ``ReferenceConvolution`` run in.
protocol NNFloat: BinaryFloatingPoint, TensorScalar {}
extension Float: NNFloat {}
extension Double: NNFloat {}

/// NN's former name for Core's geometry, kept for the kernel tests and ``ReferenceConvolution``.
typealias ConvGeometry = ConvolutionGeometry

extension Tensor {
    /// Calls `body` with a host copy of the elements in row-major order (dtype must be `T`'s).
    func withElements<T: TensorScalar, R>(_: T.Type, _ body: (UnsafePointer<T>) throws -> R) rethrows -> R {
        precondition(dtype == T.dtype, "withElements: tensor is \(dtype), asked for \(T.dtype)")
        let values = toArray(as: T.self)
        return try values.withUnsafeBufferPointer { buffer in
            try body(buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!)
        }
    }

    /// A tensor of `shape` (on the default device) from a zero-filled host buffer that `body` writes.
    static func filled<T: NNFloat>(_ shape: [Int], _: T.Type, _ body: (UnsafeMutablePointer<T>) -> Void) -> Tensor {
        var values = [T](repeating: 0, count: shape.reduce(1, *))
        values.withUnsafeMutableBufferPointer { buffer in
            body(buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment)!)
        }
        return Tensor(values, shape: shape)
    }
}
