import TrainKitCore

private func poolInput(_ x: Tensor, op: StaticString) -> (planes: Int, h: Int, w: Int, lead: [Int]) {
    precondition(x.rank == 3 || x.rank == 4, "\(op): input must be [N, C, H, W] or [C, H, W], got \(x.shape)")
    precondition(x.dtype.isFloatingPoint, "\(op): needs a float tensor, got \(x.dtype)")
    let h = x.shape[x.rank - 2], w = x.shape[x.rank - 1]
    let lead = Array(x.shape.dropLast(2))
    return (lead.reduce(1, *), h, w, lead)
}

/// 2-d max pooling (PyTorch's `F.max_pool2d`, `ceil_mode` false): each output is the largest input in
/// its `kH×kW` window (padding counts as -∞); the gradient goes to that element.
///
/// Shapes: `[N, C, H, W] -> [N, C, oH, oW]` (or without N), `oH = ⌊(H + 2p - d(k-1) - 1)/s⌋ + 1`.
/// `stride` defaults to the kernel size. Runs the C kernels `tk_maxpool2d_*` (reference:
/// `ReferenceBackend.maxPool2d` in TrainKitCore).
public func maxPool2d(_ input: Tensor, kernelSize: Size2d, stride: Size2d? = nil, padding: Size2d = 0,
                      dilation: Size2d = 1) -> Tensor {
    let (planes, h, w, lead) = poolInput(input, op: "maxPool2d")
    let s = stride ?? kernelSize
    precondition(padding.height * 2 <= kernelSize.height && padding.width * 2 <= kernelSize.width,
                 "maxPool2d: padding \(padding) must be at most half the kernel size \(kernelSize)")
    let oh = ConvGeometry.outputSize(h, kernel: kernelSize.height, stride: s.height, padding: padding.height, dilation: dilation.height)
    let ow = ConvGeometry.outputSize(w, kernel: kernelSize.width, stride: s.width, padding: padding.width, dilation: dilation.width)
    precondition(oh > 0 && ow > 0, "maxPool2d: input \(input.shape) is too small for kernel \(kernelSize)")
    let g = ConvGeometry(batch: planes, channels: 1, height: h, width: w, kernelH: kernelSize.height,
                         kernelW: kernelSize.width, strideH: s.height, strideW: s.width, padH: padding.height,
                         padW: padding.width, dilationH: dilation.height, dilationW: dilation.width,
                         outHeight: oh, outWidth: ow)
    let outShape = lead + [oh, ow], inputShape = input.shape
    // The argmax indices (inside each plane) live as long as the recorded op; the backward scatters through them.
    let argmax = ArgmaxIndices(count: planes * oh * ow)
    func run<T: ConvolutionKernels>(_: T.Type) -> Tensor {
        var kg = g.kernelGeometry
        return input.withElements(T.self) { src in
            Tensor.make(shape: outShape, as: T.self) { dst in T.maxPool(&kg, src, dst.baseAddress!, argmax.pointer) }
        }
    }
    let out = withConvolutionScalar(input.dtype, op: "maxPool2d") { run($0) }
    return Tensor.record(out, op: "max_pool2d", inputs: [input]) { grad, _ in
        func back<T: ConvolutionKernels>(_: T.Type) -> Tensor {
            var kg = g.kernelGeometry
            return grad.withElements(T.self) { gs in
                Tensor.make(shape: inputShape, as: T.self) { gx in
                    T.maxPoolBackward(&kg, gs, argmax.pointer, gx.baseAddress!)
                }
            }
        }
        return [withConvolutionScalar(grad.dtype, op: "maxPool2d backward") { back($0) }]
    }
}

/// The argmax buffer of one max-pooling call (freed with the last closure that holds it).
private final class ArgmaxIndices: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>
    init(count: Int) { pointer = .allocate(capacity: Swift.max(count, 1)) }
    deinit { pointer.deallocate() }
}

/// 2-d average pooling (PyTorch's `F.avg_pool2d`, `ceil_mode` false, zero padding):
/// `y = Σ_window x / divisor`, with `divisor = kH·kW` when `countIncludePad`, else the number of
/// non-padding elements in the window.
///
/// Shapes: `[N, C, H, W] -> [N, C, oH, oW]` (or without N), `oH = ⌊(H + 2p - k)/s⌋ + 1`.
public func avgPool2d(_ input: Tensor, kernelSize: Size2d, stride: Size2d? = nil, padding: Size2d = 0,
                      countIncludePad: Bool = true) -> Tensor {
    let (_, h, w, _) = poolInput(input, op: "avgPool2d")
    let s = stride ?? kernelSize
    precondition(padding.height * 2 <= kernelSize.height && padding.width * 2 <= kernelSize.width,
                 "avgPool2d: padding \(padding) must be at most half the kernel size \(kernelSize)")
    let oh = ConvGeometry.outputSize(h, kernel: kernelSize.height, stride: s.height, padding: padding.height, dilation: 1)
    let ow = ConvGeometry.outputSize(w, kernel: kernelSize.width, stride: s.width, padding: padding.width, dilation: 1)
    precondition(oh > 0 && ow > 0, "avgPool2d: input \(input.shape) is too small for kernel \(kernelSize)")
    // Window bounds per output row / column: [start, end) clipped to the image, and the divisor.
    func bounds(_ o: Int, _ size: Int, _ k: Int, _ st: Int, _ p: Int) -> (Int, Int, Int) {
        let start = o * st - p
        let end = Swift.min(start + k, size + p)
        let padded = end - start
        return (Swift.max(start, 0), Swift.min(end, size), padded)
    }
    let rows = (0..<oh).map { bounds($0, h, kernelSize.height, s.height, padding.height) }
    let cols = (0..<ow).map { bounds($0, w, kernelSize.width, s.width, padding.width) }
    return windowAverage(input, rows: rows.map { ($0.0, $0.1) }, cols: cols.map { ($0.0, $0.1) }, op: "avg_pool2d") { i, j in
        countIncludePad ? rows[i].2 * cols[j].2 : (rows[i].1 - rows[i].0) * (cols[j].1 - cols[j].0)
    }
}

/// 2-d adaptive average pooling (PyTorch's `F.adaptive_avg_pool2d`): output cell `i` averages input
/// rows `[⌊i·H/oH⌋, ⌈(i+1)·H/oH⌉)` (and likewise columns); windows may overlap, and `oH > H` is allowed.
///
/// Shapes: `[N, C, H, W] -> [N, C, oH, oW]` (or without N).
public func adaptiveAvgPool2d(_ input: Tensor, outputSize: Size2d) -> Tensor {
    let (_, h, w, _) = poolInput(input, op: "adaptiveAvgPool2d")
    let oh = outputSize.height, ow = outputSize.width
    precondition(oh > 0 && ow > 0 && h > 0 && w > 0, "adaptiveAvgPool2d: output size \(outputSize) for input \(input.shape)")
    let rows = (0..<oh).map { i in (i * h / oh, ((i + 1) * h + oh - 1) / oh) }
    let cols = (0..<ow).map { j in (j * w / ow, ((j + 1) * w + ow - 1) / ow) }
    return windowAverage(input, rows: rows, cols: cols, op: "adaptive_avg_pool2d") { i, j in
        (rows[i].1 - rows[i].0) * (cols[j].1 - cols[j].0)
    }
}

/// The average of each window `rows[oy] × cols[ox]` (half-open ranges clipped to the image) over every plane,
/// divided by `divisor(oy, ox)`; the backward spreads each output gradient evenly over its window.
/// Shapes: `[N, C, H, W] -> [N, C, rows.count, cols.count]` (or without N).
private func windowAverage(_ input: Tensor, rows: [(Int, Int)], cols: [(Int, Int)], op: StaticString,
                           divisor: @escaping (Int, Int) -> Int) -> Tensor {
    let (planes, h, w, lead) = poolInput(input, op: op)
    let oh = rows.count, ow = cols.count
    func run<T: NNFloat>(_: T.Type) -> Tensor {
        input.withElements(T.self) { src in
            Tensor.filled(lead + [oh, ow], T.self) { dst in
                for p in 0..<planes {
                    let image = src + p * h * w
                    for oy in 0..<oh {
                        let r = rows[oy]
                        for ox in 0..<ow {
                            let c = cols[ox]
                            var sum: T = 0
                            for y in r.0..<r.1 { for x in c.0..<c.1 { sum += image[y * w + x] } }
                            dst[(p * oh + oy) * ow + ox] = sum / T(divisor(oy, ox))
                        }
                    }
                }
            }
        }
    }
    let out = input.dtype == .float64 ? run(Double.self) : run(Float.self)
    let inputShape = input.shape
    return Tensor.record(out, op: op, inputs: [input]) { grad, _ in
        func back<T: NNFloat>(_: T.Type) -> Tensor {
            grad.withElements(T.self) { gs in
                Tensor.filled(inputShape, T.self) { gx in
                    for p in 0..<planes {
                        let image = gx + p * h * w
                        for oy in 0..<oh {
                            let r = rows[oy]
                            for ox in 0..<ow {
                                let c = cols[ox]
                                let v = gs[(p * oh + oy) * ow + ox] / T(divisor(oy, ox))
                                for y in r.0..<r.1 { for x in c.0..<c.1 { image[y * w + x] += v } }
                            }
                        }
                    }
                }
            }
        }
        return [grad.dtype == .float64 ? back(Double.self) : back(Float.self)]
    }
}
