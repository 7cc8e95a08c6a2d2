import TrainKitCore

private func poolInput(_ x: Tensor, op: StaticString) -> (planes: Int, h: Int, w: Int, lead: [Int]) {
    precondition(x.rank == 3 || x.rank == 4, "\(op): input must be [N, C, H, W] or [C, H, W], got \(x.shape)")
    precondition(x.dtype.isFloatingPoint, "\(op): needs a float tensor, got \(x.dtype)")
    let h = x.shape[x.rank - 2], w = x.shape[x.rank - 1]
    let lead = Array(x.shape.dropLast(2))
    return (lead.reduce(1, *), h, w, lead)
}

/// The geometry of a pooling window over `planes` one-channel images `[h, w]`.
private func poolGeometry(planes: Int, h: Int, w: Int, kernel: Size2d, stride: Size2d, padding: Size2d,
                          dilation: Size2d, op: StaticString) -> ConvolutionGeometry {
    precondition(padding.height * 2 <= kernel.height && padding.width * 2 <= kernel.width,
                 "\(op): padding \(padding) must be at most half the kernel size \(kernel)")
    let oh = ConvolutionGeometry.outputSize(h, kernel: kernel.height, stride: stride.height, padding: padding.height,
                                            dilation: dilation.height)
    let ow = ConvolutionGeometry.outputSize(w, kernel: kernel.width, stride: stride.width, padding: padding.width,
                                            dilation: dilation.width)
    precondition(oh > 0 && ow > 0, "\(op): input [\(h), \(w)] is too small for kernel \(kernel)")
    return ConvolutionGeometry(batch: planes, channels: 1, height: h, width: w, kernelH: kernel.height,
                               kernelW: kernel.width, strideH: stride.height, strideW: stride.width,
                               padH: padding.height, padW: padding.width, dilationH: dilation.height,
                               dilationW: dilation.width, outHeight: oh, outWidth: ow)
}

/// 2-d max pooling (PyTorch's `F.max_pool2d`, `ceil_mode` false): each output is the largest input in
/// its `kH×kW` window (padding counts as -∞); the gradient goes to that element.
///
/// Shapes: `[N, C, H, W] -> [N, C, oH, oW]` (or without N), `oH = ⌊(H + 2p - d(k-1) - 1)/s⌋ + 1`.
/// `stride` defaults to the kernel size. Runs the backend's `maxPool2d`, which also gives each window's argmax
/// (int32, on the device) for the backward's `maxPool2dBackward`.
public func maxPool2d(_ input: Tensor, kernelSize: Size2d, stride: Size2d? = nil, padding: Size2d = 0,
                      dilation: Size2d = 1) -> Tensor {
    let (planes, h, w, lead) = poolInput(input, op: "maxPool2d")
    let g = poolGeometry(planes: planes, h: h, w: w, kernel: kernelSize, stride: stride ?? kernelSize,
                         padding: padding, dilation: dilation, op: "maxPool2d")
    let x = input.detach().contiguous()
    let out = x.uninitializedLike(lead + [g.outHeight, g.outWidth])
    let argmax = x.uninitializedLike([planes, g.outHeight, g.outWidth], dtype: .int32)
    withExtendedLifetime(x) {
        x.backend.maxPool2d(x.dtype, g, x: x.address, y: out.address, argmax: argmax.address)
    }
    let inputShape = input.shape
    return Tensor.record(out, op: "max_pool2d", input) { grad, _ in
        let gy = grad.contiguous()
        let gx = gy.uninitializedLike(inputShape)  // the backward zeroes it first
        withExtendedLifetime(gy) {
            gy.backend.maxPool2dBackward(gy.dtype, g, gy: gy.address, argmax: argmax.address, gx: gx.address)
        }
        return [gx]
    }
}

/// 2-d average pooling (PyTorch's `F.avg_pool2d`, `ceil_mode` false, zero padding):
/// `y = Σ_window x / divisor`, with `divisor = kH·kW` when `countIncludePad`, else the number of
/// non-padding elements in the window.
///
/// Shapes: `[N, C, H, W] -> [N, C, oH, oW]` (or without N), `oH = ⌊(H + 2p - k)/s⌋ + 1`.
/// Composed: im2col of the planes `[kH·kW, planes·oH·oW]` (padding reads as 0), summed over the window
/// rows, divided by the divisors `[oH, oW]`; autograd gives the backward (col2im of the spread gradient).
public func avgPool2d(_ input: Tensor, kernelSize: Size2d, stride: Size2d? = nil, padding: Size2d = 0,
                      countIncludePad: Bool = true) -> Tensor {
    let (planes, h, w, lead) = poolInput(input, op: "avgPool2d")
    let g = poolGeometry(planes: planes, h: h, w: w, kernel: kernelSize, stride: stride ?? kernelSize,
                         padding: padding, dilation: 1, op: "avgPool2d")
    let sums = im2col(input.reshape([planes, 1, h, w]), g).sum(0).reshape([planes, g.outHeight, g.outWidth])
    // Window extent inside the image along one axis (with ceil_mode false a window never passes the padding,
    // so with countIncludePad every divisor is kH·kW).
    func inside(_ o: Int, size: Int, kernel: Int, stride: Int, pad: Int) -> Int {
        let start = o * stride - pad
        return Swift.min(start + kernel, size) - Swift.max(start, 0)
    }
    let divisors = (0..<g.outHeight).flatMap { oy in
        (0..<g.outWidth).map { ox in
            countIncludePad ? Double(g.kernelH * g.kernelW)
                : Double(inside(oy, size: h, kernel: g.kernelH, stride: g.strideH, pad: g.padH)
                         * inside(ox, size: w, kernel: g.kernelW, stride: g.strideW, pad: g.padW))
        }
    }
    let divisor = Tensor(divisors, shape: [g.outHeight, g.outWidth], device: input.device).to(input.dtype)
    return (sums / divisor).reshape(lead + [g.outHeight, g.outWidth])
}

/// 2-d adaptive average pooling (PyTorch's `F.adaptive_avg_pool2d`): output cell `i` averages input
/// rows `[⌊i·H/oH⌋, ⌈(i+1)·H/oH⌉)` (and likewise columns); windows may overlap, and `oH > H` is allowed.
///
/// Shapes: `[N, C, H, W] -> [N, C, oH, oW]` (or without N). Composed: with 0/1 window matrices
/// `R [oH, H]`, `C [oW, W]`, the window sums of every plane are `R · x · Cᵀ` (two GEMMs), divided by the
/// window sizes; autograd gives the backward.
public func adaptiveAvgPool2d(_ input: Tensor, outputSize: Size2d) -> Tensor {
    let (planes, h, w, lead) = poolInput(input, op: "adaptiveAvgPool2d")
    let oh = outputSize.height, ow = outputSize.width
    precondition(oh > 0 && ow > 0 && h > 0 && w > 0, "adaptiveAvgPool2d: output size \(outputSize) for input \(input.shape)")
    let rows = (0..<oh).map { i in (i * h / oh, ((i + 1) * h + oh - 1) / oh) }
    let cols = (0..<ow).map { j in (j * w / ow, ((j + 1) * w + ow - 1) / ow) }
    /// The 0/1 matrix `[windows.count, size]` with row `i` one on `windows[i]`.
    func windowMatrix(_ windows: [(Int, Int)], size: Int) -> Tensor {
        let values = windows.flatMap { lo, hi in (0..<size).map { lo <= $0 && $0 < hi ? 1.0 : 0.0 } }
        return Tensor(values, shape: [windows.count, size], device: input.device).to(input.dtype)
    }
    let divisors = rows.flatMap { r in cols.map { c in Double((r.1 - r.0) * (c.1 - c.0)) } }
    let divisor = Tensor(divisors, shape: [oh, ow], device: input.device).to(input.dtype)
    let x = input.reshape([planes, h, w])
    let sums = windowMatrix(rows, size: h).matmul(x.matmul(windowMatrix(cols, size: w).T))  // [planes, oH, oW]
    return (sums / divisor).reshape(lead + [oh, ow])
}
