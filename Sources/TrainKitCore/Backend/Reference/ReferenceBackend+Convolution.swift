// Convolution and pooling: the twins of `tk_im2col_*`, `tk_col2im_*`, `tk_maxpool2d_*` and
// `tk_maxpool2d_backward_*` (`CTrainKitKernels/conv_impl.inc`), one output element at a time.

extension ReferenceBackend {
    /// `cols[(c·kH + i)·kW + j][(n·oH + oy)·oW + ox] = x[n, c, oy·sH - pH + i·dH, ox·sW - pW + j·dW]`, 0 in the
    /// padding; `x [N, C, H, W]`, `cols [C·kH·kW, N·oH·oW]`.
    package func im2col(_ dtype: DType, _ g: ConvolutionGeometry, x: UnsafeRawPointer, cols: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let image = x.elements(T.self), out = cols.elements(T.self)
            g.forEachWindowElement { row, column, plane, pixel in
                out[row * g.columns + column] = pixel.map { image[plane * g.height * g.width + $0] } ?? 0
            }
        }
        withReferenceFloat(dtype, "im2col", on: self) { run($0) }
    }

    /// The adjoint of ``im2col(_:_:x:cols:)``: `x` zeroed, then each column entry added to the pixel it was
    /// read from (patches overlapping in order of the window element `(i, j)`).
    package func col2im(_ dtype: DType, _ g: ConvolutionGeometry, cols: UnsafeRawPointer, x: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let source = cols.elements(T.self), image = x.elements(T.self)
            image.initialize(repeating: 0, count: g.batch * g.channels * g.height * g.width)
            g.forEachWindowElement { row, column, plane, pixel in
                if let pixel { image[plane * g.height * g.width + pixel] += source[row * g.columns + column] }
            }
        }
        withReferenceFloat(dtype, "col2im", on: self) { run($0) }
    }

    /// For each of the `batch·channels` planes and grid position: `y` the largest pixel of the window (padding
    /// is -∞) and `argmax` (int32) its plane index `y·W + x`. The window's first pixel is taken, then any pixel
    /// that is larger or NaN, so ties keep the first and the last NaN wins; an empty window gives -∞ and -1.
    package func maxPool2d(_ dtype: DType, _ g: ConvolutionGeometry, x: UnsafeRawPointer, y: UnsafeMutableRawPointer,
                           argmax: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let image = x.elements(T.self), out = y.elements(T.self), arg = argmax.elements(Int32.self)
            let planeSize = g.height * g.width, grid = g.outHeight * g.outWidth
            for plane in 0..<g.batch * g.channels {
                for k in 0..<grid {
                    var best = -T.infinity, index = -1
                    for i in 0..<g.kernelH {
                        for j in 0..<g.kernelW {
                            let pixel = g.pixel(oy: k / g.outWidth, ox: k % g.outWidth, i: i, j: j)
                            guard let pixel else { continue }
                            let v = image[plane * planeSize + pixel]
                            if index < 0 || v > best || v.isNaN { (best, index) = (v, pixel) }
                        }
                    }
                    out[plane * grid + k] = best
                    arg[plane * grid + k] = Int32(index)
                }
            }
        }
        withReferenceFloat(dtype, "max_pool2d", on: self) { run($0) }
    }

    /// `gx` zeroed, then `gx[plane, argmax[plane, k]] += gy[plane, k]` in order of `k` (-1 skipped).
    package func maxPool2dBackward(_ dtype: DType, _ g: ConvolutionGeometry, gy: UnsafeRawPointer,
                                   argmax: UnsafeRawPointer, gx: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let grads = gy.elements(T.self), arg = argmax.elements(Int32.self), out = gx.elements(T.self)
            let planeSize = g.height * g.width, grid = g.outHeight * g.outWidth
            out.initialize(repeating: 0, count: g.batch * g.channels * planeSize)
            for plane in 0..<g.batch * g.channels {
                for k in 0..<grid where arg[plane * grid + k] >= 0 {
                    out[plane * planeSize + Int(arg[plane * grid + k])] += grads[plane * grid + k]
                }
            }
        }
        withReferenceFloat(dtype, "max_pool2d backward", on: self) { run($0) }
    }
}

extension ConvolutionGeometry {
    /// The plane index `y·W + x` of the pixel under window element `(i, j)` at grid position `(oy, ox)`:
    /// `y = oy·sH - pH + i·dH`, `x = ox·sW - pW + j·dW`; nil in the padding.
    func pixel(oy: Int, ox: Int, i: Int, j: Int) -> Int? {
        let y = oy * strideH - padH + i * dilationH, x = ox * strideW - padW + j * dilationW
        guard (0..<height).contains(y), (0..<width).contains(x) else { return nil }
        return y * width + x
    }

    /// Calls `body(row, column, plane, pixel)` for every entry of the column matrix, in order of
    /// `(c, i, j, n, oy, ox)`: row `(c·kH + i)·kW + j`, column `(n·oH + oy)·oW + ox`, the image plane
    /// `n·C + c` and ``pixel(oy:ox:i:j:)``.
    func forEachWindowElement(_ body: (_ row: Int, _ column: Int, _ plane: Int, _ pixel: Int?) -> Void) {
        for c in 0..<channels {
            for i in 0..<kernelH {
                for j in 0..<kernelW {
                    for n in 0..<batch {
                        for oy in 0..<outHeight {
                            for ox in 0..<outWidth {
                                body((c * kernelH + i) * kernelW + j, (n * outHeight + oy) * outWidth + ox,
                                     n * channels + c, pixel(oy: oy, ox: ox, i: i, j: j))
                            }
                        }
                    }
                }
            }
        }
    }
}
