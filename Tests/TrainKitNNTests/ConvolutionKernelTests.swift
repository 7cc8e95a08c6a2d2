import Testing
import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

// The convolution and pooling ops (the C kernels of CTrainKitKernels/conv.c) against the reference backend's
// primitives (ReferenceBackend+Convolution.swift), and the fused convolution op against the composite it
// replaces.

/// Geometries with stride, padding, dilation and non-square windows (input [2, 3, 7, 6]).
private let geometries: [ConvolutionGeometry] = [
    geometry(kernel: (5, 5), stride: (1, 1), padding: (2, 2), dilation: (1, 1)),
    geometry(kernel: (2, 3), stride: (2, 1), padding: (1, 2), dilation: (1, 2)),
    geometry(kernel: (3, 3), stride: (3, 2), padding: (0, 1), dilation: (2, 1)),
    geometry(kernel: (1, 1), stride: (1, 1), padding: (0, 0), dilation: (1, 1)),
]

private func geometry(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int),
                      batch: Int = 2, channels: Int = 3, height: Int = 7, width: Int = 6) -> ConvolutionGeometry {
    ConvolutionGeometry(batch: batch, channels: channels, height: height, width: width, kernelH: kernel.0, kernelW: kernel.1,
                 strideH: stride.0, strideW: stride.1, padH: padding.0, padW: padding.1, dilationH: dilation.0,
                 dilationW: dilation.1,
                 outHeight: ConvolutionGeometry.outputSize(height, kernel: kernel.0, stride: stride.0, padding: padding.0,
                                                    dilation: dilation.0),
                 outWidth: ConvolutionGeometry.outputSize(width, kernel: kernel.1, stride: stride.1, padding: padding.1,
                                                   dilation: dilation.1))
}

@Test(arguments: [DType.float32, .float64])
func im2colAndCol2imMatchReference(_ dtype: DType) {
    for (k, g) in geometries.enumerated() {
        let x = randomInput([g.batch, g.channels, g.height, g.width], seed: UInt64(10 + k)).to(dtype)
        let cols = randomInput([g.rows, g.columns], seed: UInt64(20 + k)).to(dtype)
        #expect(closenessFailure(im2colValues(x, g), Reference.im2col(x, g), rtol: 0, atol: 0) == nil,
                "im2col \(k)")
        let failure = closenessFailure(col2imValues(cols, g), Reference.col2im(cols, g), rtol: 1e-6, atol: 1e-6)
        #expect(failure == nil, "col2im \(k): \(failure ?? "")")
    }
}

@Test(arguments: [DType.float32, .float64])
func maxPoolMatchesReference(_ dtype: DType) {
    let windows = [
        geometry(kernel: (2, 2), stride: (2, 2), padding: (0, 0), dilation: (1, 1), height: 8, width: 6),
        geometry(kernel: (2, 2), stride: (2, 2), padding: (0, 0), dilation: (1, 1)),  // odd height: last row dropped
        geometry(kernel: (3, 2), stride: (2, 1), padding: (1, 1), dilation: (1, 1)),
        geometry(kernel: (3, 3), stride: (1, 2), padding: (1, 0), dilation: (2, 1)),
    ].map { g -> ConvolutionGeometry in
        var p = g
        (p.batch, p.channels) = (g.batch * g.channels, 1)
        return p
    }
    for (k, g) in windows.enumerated() {
        // Rounded values give ties; one NaN checks that it wins its windows.
        var values = randomInput([g.batch * g.height * g.width], seed: UInt64(30 + k)).toArray(as: Double.self)
            .map { ($0 * 4).rounded() }
        values[5] = .nan
        let x = Tensor(values, shape: [g.batch, g.height, g.width]).to(dtype)
        let gy = randomInput([g.batch, g.outHeight, g.outWidth], seed: UInt64(40 + k)).to(dtype)
        let reference = Reference.maxPool(x, g)
        let y = maxPool2d(x, kernelSize: Size2d(g.kernelH, g.kernelW), stride: Size2d(g.strideH, g.strideW),
                          padding: Size2d(g.padH, g.padW), dilation: Size2d(g.dilationH, g.dilationW))
        let (a, b) = (y.toArray(as: Double.self), reference.values.toArray(as: Double.self))
        #expect(a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "forward \(k)")
        var leaf = x
        leaf.requiresGrad = true
        let out = maxPool2d(leaf, kernelSize: Size2d(g.kernelH, g.kernelW), stride: Size2d(g.strideH, g.strideW),
                            padding: Size2d(g.padH, g.padW), dilation: Size2d(g.dilationH, g.dilationW))
        out.backward(gy)
        let expected = Reference.maxPoolBackward(gy, argmax: reference.argmax, g)
        let failure = closenessFailure(leaf.grad!, expected, rtol: 0, atol: 0)
        #expect(failure == nil, "backward \(k): \(failure ?? "")")
    }
}

/// The convolution GEMM's output `z [Cout, N·L]` to `[N, Cout, L]` with bias and optional ReLU, as Tensor ops
/// (the tail of the composite the fused convolution is tested against): `y[n, o, l] = act(z[o, n·L + l] + bias[o])`.
private func convOutput(_ z: Tensor, bias: Tensor?, batch: Int, relu: Bool) -> Tensor {
    let cout = z.shape[0], l = z.shape[1] / batch
    var y = z.reshape([cout, batch, l]).permute([1, 0, 2])
    if let bias { y = y + bias.reshape([1, cout, 1]) }
    return (relu ? y.relu() : y).contiguous()
}

/// The fused op (im2col, GEMM, bias and ReLU in the layout move, one hand-written backward) against
/// im2col + mm + bias + ReLU as separately recorded ops, in float64: output and the gradients of input,
/// weight and bias.
@Test(arguments: [false, true])
func fusedConvolutionMatchesReference(_ relu: Bool) {
    for (k, g) in geometries.enumerated() {
        let cout = 4
        let x = randomInput([g.batch, g.channels, g.height, g.width], seed: UInt64(50 + k))
        let w = randomInput([cout, g.channels, g.kernelH, g.kernelW], seed: UInt64(60 + k))
        let b = randomInput([cout], seed: UInt64(70 + k))
        for withBias in [true, false] {
            func run(fused: Bool) -> [Tensor] {
                var leaves = (withBias ? [x, w, b] : [x, w]).map { t -> Tensor in
                    var c = t.copied()
                    c.requiresGrad = true
                    return c
                }
                let bias = withBias ? leaves[2] : nil
                let y: Tensor
                if fused {
                    y = fusedConv2d(leaves[0], weight: leaves[1], bias: bias, geometry: g, relu: relu)
                } else {
                    // The recorded im2col op (its kernels are checked above) + mm + bias + ReLU as Tensor ops.
                    let z = leaves[1].reshape([cout, g.rows]).mm(im2col(leaves[0], g))
                    y = convOutput(z, bias: bias, batch: g.batch, relu: relu)
                        .reshape([g.batch, cout, g.outHeight, g.outWidth])
                }
                (y * randomInput(y.shape, seed: 80)).sum().backward()
                let grads = leaves.map { $0.grad! }
                leaves.removeAll()
                return [y.detach()] + grads
            }
            for (i, (a, r)) in zip(run(fused: true), run(fused: false)).enumerated() {
                let failure = closenessFailure(a, r, rtol: 1e-10, atol: 1e-12)
                #expect(failure == nil, "geometry \(k), relu \(relu), bias \(withBias), tensor \(i): \(failure ?? "")")
            }
        }
    }
}

/// Finite differences for a groups-1 convolution (the fused path) with stride, padding and dilation.
@Test func fusedConvolutionGradients() {
    let conv = Conv2d(3, 4, kernelSize: [2, 3], stride: [2, 1], padding: [1, 2], dilation: [1, 2],
                      key: RandomKey(seed: 90), dtype: .float64)
    #expect(layerGradientFailure(conv, inputs: [randomInput([2, 3, 5, 6], seed: 91)]) { conv($0[0]) } == nil)
    #expect(layerGradientFailure(conv, inputs: [randomInput([2, 3, 5, 6], seed: 92)]) { conv($0[0]).relu() } == nil)
}

/// Float32 LeNet-sized layer: the fused path agrees with the float64 result to float32 precision.
@Test func fusedConvolutionFloat32MatchesFloat64() {
    let g = geometry(kernel: (5, 5), stride: (1, 1), padding: (2, 2), dilation: (1, 1), batch: 4, channels: 1,
                     height: 28, width: 28)
    let x = randomInput([4, 1, 28, 28], seed: 93), w = randomInput([6, 1, 5, 5], seed: 94)
    let b = randomInput([6], seed: 95)
    let y64 = fusedConv2d(x, weight: w, bias: b, geometry: g, relu: true)
    let y32 = fusedConv2d(x.to(.float32), weight: w.to(.float32), bias: b.to(.float32), geometry: g, relu: true)
    #expect(closenessFailure(y32.to(.float64), y64, rtol: 1e-5, atol: 1e-5) == nil)
}

/// The reference backend's convolution primitives on tensors: inputs move to the reference device, results
/// come back to the input's device.
private enum Reference {
    static let backend = ReferenceBackend.shared

    static func im2col(_ x: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        let input = x.to(device: .reference).contiguous()
        let cols = Tensor(uninitialized: [g.rows, g.columns], dtype: x.dtype, on: backend)
        backend.im2col(x.dtype, g.primitive, x: input.address, cols: cols.address)
        return cols.to(device: x.device)
    }

    static func col2im(_ cols: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        let input = cols.to(device: .reference).contiguous()
        let x = Tensor(uninitialized: [g.batch, g.channels, g.height, g.width], dtype: cols.dtype, on: backend)
        backend.col2im(cols.dtype, g.primitive, cols: input.address, x: x.address)
        return x.to(device: cols.device)
    }

    /// Window maxima `[planes, oH, oW]` and the argmax indices (int32, on the reference device).
    static func maxPool(_ x: Tensor, _ g: ConvolutionGeometry) -> (values: Tensor, argmax: Tensor) {
        let input = x.to(device: .reference).contiguous()
        let shape = [g.batch * g.channels, g.outHeight, g.outWidth]
        let y = Tensor(uninitialized: shape, dtype: x.dtype, on: backend)
        let argmax = Tensor(uninitialized: shape, dtype: .int32, on: backend)
        backend.maxPool2d(x.dtype, g.primitive, x: input.address, y: y.address, argmax: argmax.address)
        return (y.to(device: x.device), argmax)
    }

    /// `gx [planes, H, W]` from `gy` and ``maxPool(_:_:)``'s argmax.
    static func maxPoolBackward(_ gy: Tensor, argmax: Tensor, _ g: ConvolutionGeometry) -> Tensor {
        let grads = gy.to(device: .reference).contiguous()
        let gx = Tensor(uninitialized: [g.batch * g.channels, g.height, g.width], dtype: gy.dtype, on: backend)
        backend.maxPool2dBackward(gy.dtype, g.primitive, gy: grads.address, argmax: argmax.address, gx: gx.address)
        return gx.to(device: gy.device)
    }
}

extension ConvolutionGeometry {
    /// This geometry as the backend primitives take it.
    var primitive: ConvolutionGeometry {
        ConvolutionGeometry(batch: batch, channels: channels, height: height, width: width, kernelH: kernelH,
                            kernelW: kernelW, strideH: strideH, strideW: strideW, padH: padH, padW: padW,
                            dilationH: dilationH, dilationW: dilationW, outHeight: outHeight, outWidth: outWidth)
    }
}
