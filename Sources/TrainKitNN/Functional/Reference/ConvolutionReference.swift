import TrainKitCore

/// Plain-Swift twins of the convolution and pooling kernels in `CTrainKitKernels/conv.c` (STYLE.md Rule 3):
/// readable loops over the same layouts, which the tests run beside the C kernels on the same inputs.
enum ReferenceConvolution {
    /// im2col: `x [N, C, H, W] -> [C·kH·kW, N·oH·oW]` (formula: ``im2col(_:_:)``).
    static func im2col(_ x: Tensor, _ g: ConvGeometry) -> Tensor {
        func run<T: NNFloat>(_: T.Type) -> Tensor {
            x.withElements(T.self) { src in Tensor.filled([g.rows, g.columns], T.self) { dst in unfold(src, dst, g) } }
        }
        return x.dtype == .float64 ? run(Double.self) : run(Float.self)
    }

    /// col2im: `[C·kH·kW, N·oH·oW] -> [N, C, H, W]`, overlapping patches summed.
    static func col2im(_ cols: Tensor, _ g: ConvGeometry) -> Tensor {
        func run<T: NNFloat>(_: T.Type) -> Tensor {
            cols.withElements(T.self) { src in
                Tensor.filled([g.batch, g.channels, g.height, g.width], T.self) { dst in fold(src, dst, g) }
            }
        }
        return cols.dtype == .float64 ? run(Double.self) : run(Float.self)
    }

    /// The convolution GEMM's output `z [Cout, N·L]` to `[N, Cout, L]` with bias and optional ReLU, as
    /// Tensor ops (the tail of the composite the fused convolution is tested against):
    /// `y[n, o, l] = act(z[o, n·L + l] + bias[o])`.
    static func convOutput(_ z: Tensor, bias: Tensor?, batch: Int, relu: Bool) -> Tensor {
        let cout = z.shape[0], l = z.shape[1] / batch
        var y = z.reshape([cout, batch, l]).permute([1, 0, 2])
        if let bias { y = y + bias.reshape([1, cout, 1]) }
        return (relu ? y.relu() : y).contiguous()
    }

    /// Max pooling over `planes` planes `[H, W]`: the window maximum (padding is -∞) and the index
    /// `y·W + x` of the first maximum in the plane (a NaN wins, the last NaN is kept), -1 for an empty window.
    static func maxPool(_ x: Tensor, _ g: ConvGeometry) -> (values: Tensor, argmax: [Int32]) {
        let (h, w, oh, ow) = (g.height, g.width, g.outHeight, g.outWidth)
        let planes = g.batch * g.channels
        var argmax = [Int32](repeating: -1, count: planes * oh * ow)
        func run<T: NNFloat>(_: T.Type) -> Tensor {
            x.withElements(T.self) { src in
                Tensor.filled([planes, oh, ow], T.self) { dst in
                    for p in 0..<planes {
                        let image = src + p * h * w
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                var best = -T.infinity, bestIndex: Int32 = -1
                                for i in 0..<g.kernelH {
                                    let y = oy * g.strideH - g.padH + i * g.dilationH
                                    if y < 0 || y >= h { continue }
                                    for j in 0..<g.kernelW {
                                        let x = ox * g.strideW - g.padW + j * g.dilationW
                                        if x < 0 || x >= w { continue }
                                        let v = image[y * w + x]
                                        if v > best || bestIndex < 0 || v.isNaN { best = v; bestIndex = Int32(y * w + x) }
                                    }
                                }
                                dst[(p * oh + oy) * ow + ox] = best
                                argmax[(p * oh + oy) * ow + ox] = bestIndex
                            }
                        }
                    }
                }
            }
        }
        let values = x.dtype == .float64 ? run(Double.self) : run(Float.self)
        return (values, argmax)
    }

    /// Max pooling's backward: `gx[p, argmax[p, k]] += gy[p, k]` from zero, gx `[planes, H, W]`.
    static func maxPoolBackward(_ gy: Tensor, argmax: [Int32], _ g: ConvGeometry) -> Tensor {
        let planes = g.batch * g.channels, grid = g.outHeight * g.outWidth, plane = g.height * g.width
        func run<T: NNFloat>(_: T.Type) -> Tensor {
            gy.withElements(T.self) { gs in
                Tensor.filled([planes, g.height, g.width], T.self) { gx in
                    for p in 0..<planes {
                        for k in 0..<grid where argmax[p * grid + k] >= 0 {
                            gx[p * plane + Int(argmax[p * grid + k])] += gs[p * grid + k]
                        }
                    }
                }
            }
        }
        return gy.dtype == .float64 ? run(Double.self) : run(Float.self)
    }
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

fileprivate func unfold<T: NNFloat>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ g: ConvGeometry) {
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

fileprivate func fold<T: NNFloat>(_ src: UnsafePointer<T>, _ dst: UnsafeMutablePointer<T>, _ g: ConvGeometry) {
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
