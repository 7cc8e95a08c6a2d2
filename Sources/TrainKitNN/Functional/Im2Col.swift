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
/// Convolution is then one GEMM per group. Backward: ``col2im(_:_:)``.
func im2col(_ x: Tensor, _ g: ConvGeometry) -> Tensor {
    precondition(x.shape == [g.batch, g.channels, g.height, g.width], "im2col: input \(x.shape) does not match geometry")
    func run<T: NNFloat>(_: T.Type) -> Tensor {
        x.withElements(T.self) { src in
            Tensor.filled([g.rows, g.columns], T.self) { dst in unfold(src, dst, g) }
        }
    }
    let out = x.dtype == .float64 ? run(Double.self) : run(Float.self)
    return Tensor.record(out, op: "im2col", inputs: [x]) { grad, _ in [col2im(grad, g)] }
}

/// Folds columns back into an image, adding overlapping patches: `[C·kH·kW, N·oH·oW] -> [N, C, H, W]`
/// (the adjoint of ``im2col(_:_:)``; also the core of transposed convolution). Backward: im2col.
func col2im(_ cols: Tensor, _ g: ConvGeometry) -> Tensor {
    precondition(cols.shape == [g.rows, g.columns], "col2im: columns \(cols.shape) do not match geometry")
    func run<T: NNFloat>(_: T.Type) -> Tensor {
        cols.withElements(T.self) { src in
            Tensor.filled([g.batch, g.channels, g.height, g.width], T.self) { dst in fold(src, dst, g) }
        }
    }
    let out = cols.dtype == .float64 ? run(Double.self) : run(Float.self)
    return Tensor.record(out, op: "col2im", inputs: [cols]) { grad, _ in [im2col(grad, g)] }
}

/// The valid output range `[lo, hi)` of grid positions `o` for which `o·s - p + k·d` lies in `[0, size)`.
@inline(__always)
private func validRange(size: Int, grid: Int, stride s: Int, offset: Int) -> (Int, Int) {
    // need 0 <= o*s + offset < size
    var lo = offset >= 0 ? 0 : (-offset + s - 1) / s
    var hi = size - offset <= 0 ? 0 : (size - offset + s - 1) / s
    lo = Swift.min(lo, grid)
    hi = Swift.min(Swift.max(hi, lo), grid)
    return (lo, hi)
}

private func unfold<T: NNFloat>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ g: ConvGeometry) {
    let plane = g.height * g.width, grid = g.outHeight * g.outWidth
    for c in 0..<g.channels {
        for i in 0..<g.kernelH {
            let offY = i * g.dilationH - g.padH
            let (yLo, yHi) = validRange(size: g.height, grid: g.outHeight, stride: g.strideH, offset: offY)
            for j in 0..<g.kernelW {
                let offX = j * g.dilationW - g.padW
                let (xLo, xHi) = validRange(size: g.width, grid: g.outWidth, stride: g.strideW, offset: offX)
                let row = dst + ((c * g.kernelH + i) * g.kernelW + j) * g.columns
                for n in 0..<g.batch {
                    let image = src + (n * g.channels + c) * plane
                    let out = row + n * grid
                    for oy in yLo..<yHi {
                        let line = image + (oy * g.strideH + offY) * g.width
                        let o = out + oy * g.outWidth
                        if g.strideW == 1 {
                            for ox in xLo..<xHi { o[ox] = line[ox + offX] }
                        } else {
                            for ox in xLo..<xHi { o[ox] = line[ox * g.strideW + offX] }
                        }
                    }
                }
            }
        }
    }
}

private func fold<T: NNFloat>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ g: ConvGeometry) {
    let plane = g.height * g.width, grid = g.outHeight * g.outWidth
    for c in 0..<g.channels {
        for i in 0..<g.kernelH {
            let offY = i * g.dilationH - g.padH
            let (yLo, yHi) = validRange(size: g.height, grid: g.outHeight, stride: g.strideH, offset: offY)
            for j in 0..<g.kernelW {
                let offX = j * g.dilationW - g.padW
                let (xLo, xHi) = validRange(size: g.width, grid: g.outWidth, stride: g.strideW, offset: offX)
                let row = src + ((c * g.kernelH + i) * g.kernelW + j) * g.columns
                for n in 0..<g.batch {
                    let image = dst + (n * g.channels + c) * plane
                    let cols = row + n * grid
                    for oy in yLo..<yHi {
                        let line = image + (oy * g.strideH + offY) * g.width
                        let o = cols + oy * g.outWidth
                        for ox in xLo..<xHi { line[ox * g.strideW + offX] += o[ox] }
                    }
                }
            }
        }
    }
}
