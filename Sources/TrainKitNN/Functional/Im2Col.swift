import TrainKitCore

/// Unfolds image patches into columns: `[N, C, H, W] -> [C·kH·kW, N·oH·oW]`, with
/// `cols[(c·kH + i)·kW + j][(n·oH + oy)·oW + ox] = x[n, c, oy·sH - pH + i·dH, ox·sW - pW + j·dW]` (0 outside).
/// Convolution is then one GEMM per group. Backward: ``col2im(_:_:)``. Runs the backend's `im2col`.
func im2col(_ x: Tensor, _ g: ConvolutionGeometry) -> Tensor {
    Tensor.record(im2colValues(x, g), op: "im2col", x) { grad, _ in [col2im(grad, g)] }
}

/// Folds columns back into an image, adding overlapping patches: `[C·kH·kW, N·oH·oW] -> [N, C, H, W]`
/// (the adjoint of ``im2col(_:_:)``; also the core of transposed convolution). Backward: im2col.
func col2im(_ cols: Tensor, _ g: ConvolutionGeometry) -> Tensor {
    Tensor.record(col2imValues(cols, g), op: "col2im", cols) { grad, _ in [im2col(grad, g)] }
}

/// ``im2col(_:_:)``'s values, not recorded.
func im2colValues(_ x: Tensor, _ g: ConvolutionGeometry) -> Tensor {
    precondition(x.shape == [g.batch, g.channels, g.height, g.width], "im2col: input \(x.shape) does not match geometry")
    let input = x.detach().contiguous()
    let cols = input.uninitializedLike([g.rows, g.columns])
    withExtendedLifetime(input) {
        input.backend.im2col(input.dtype, g, x: input.address, cols: cols.address)
    }
    return cols
}

/// ``col2im(_:_:)``'s values, not recorded.
func col2imValues(_ cols: Tensor, _ g: ConvolutionGeometry) -> Tensor {
    precondition(cols.shape == [g.rows, g.columns], "col2im: columns \(cols.shape) do not match geometry")
    let input = cols.detach().contiguous()
    let image = input.uninitializedLike([g.batch, g.channels, g.height, g.width])
    withExtendedLifetime(input) {
        input.backend.col2im(input.dtype, g, cols: input.address, x: image.address)
    }
    return image
}
