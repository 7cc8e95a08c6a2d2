import TrainKitCore

/// The geometry shared by im2col and col2im: an image `[batch, channels, height, width]`, a kernel with
/// stride, zero padding and dilation, and the grid `[outHeight, outWidth]` of kernel positions.
struct ConvGeometry: Sendable {
    var batch, channels, height, width: Int
    var kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW: Int
    var outHeight, outWidth: Int

    /// Rows of the column matrix: `channels · kernelH · kernelW`, ordered (c, i, j).
    var rows: Int { channels * kernelH * kernelW }
    /// Columns of the column matrix: `batch · outHeight · outWidth`, ordered (n, oy, ox).
    var columns: Int { batch * outHeight * outWidth }

    /// The grid size a convolution over `size` gives: `⌊(size + 2p - d(k-1) - 1) / s⌋ + 1`.
    static func outputSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }
}

/// Unfolds image patches into columns: `[N, C, H, W] -> [C·kH·kW, N·oH·oW]`, with
/// `cols[(c·kH + i)·kW + j][(n·oH + oy)·oW + ox] = x[n, c, oy·sH - pH + i·dH, ox·sW - pW + j·dW]` (0 outside).
/// Convolution is then one GEMM per group. Backward: ``col2im(_:_:)``. Runs the C kernel `tk_im2col_*`
/// (reference: `ReferenceBackend.im2col` in TrainKitCore).
func im2col(_ x: Tensor, _ g: ConvGeometry) -> Tensor {
    Tensor.record(im2colValues(x, g), op: "im2col", inputs: [x]) { grad, _ in [col2im(grad, g)] }
}

/// Folds columns back into an image, adding overlapping patches: `[C·kH·kW, N·oH·oW] -> [N, C, H, W]`
/// (the adjoint of ``im2col(_:_:)``; also the core of transposed convolution). Backward: im2col.
func col2im(_ cols: Tensor, _ g: ConvGeometry) -> Tensor {
    Tensor.record(col2imValues(cols, g), op: "col2im", inputs: [cols]) { grad, _ in [im2col(grad, g)] }
}

/// ``im2col(_:_:)``'s values, not recorded.
func im2colValues(_ x: Tensor, _ g: ConvGeometry) -> Tensor {
    precondition(x.shape == [g.batch, g.channels, g.height, g.width], "im2col: input \(x.shape) does not match geometry")
    func run<T: ConvolutionKernels>(_: T.Type) -> Tensor {
        var kg = g.kernelGeometry
        return x.withElements(T.self) { src in
            Tensor.make(shape: [g.rows, g.columns], as: T.self) { dst in T.im2col(&kg, src, dst.baseAddress!) }
        }
    }
    return withConvolutionScalar(x.dtype, op: "im2col") { run($0) }
}

/// ``col2im(_:_:)``'s values, not recorded.
func col2imValues(_ cols: Tensor, _ g: ConvGeometry) -> Tensor {
    precondition(cols.shape == [g.rows, g.columns], "col2im: columns \(cols.shape) do not match geometry")
    func run<T: ConvolutionKernels>(_: T.Type) -> Tensor {
        var kg = g.kernelGeometry
        return cols.withElements(T.self) { src in
            Tensor.make(shape: [g.batch, g.channels, g.height, g.width], as: T.self) { dst in
                T.col2im(&kg, src, dst.baseAddress!)
            }
        }
    }
    return withConvolutionScalar(cols.dtype, op: "col2im") { run($0) }
}
