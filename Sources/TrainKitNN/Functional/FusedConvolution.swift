import TrainKitCore

/// 2-d convolution with `groups = 1` as one recorded op, optionally followed by ReLU:
/// `y[n] = act(W · im2col(x[n]) + b)` with `act` = ReLU when `relu`, else the identity.
///
/// Runs the C kernels `tk_conv2d_forward_*` / `tk_conv2d_backward_*` image by image: each image's column
/// matrix `[K, L]` (`K = C·kH·kW`, `L = oH·oW`) is built while it stays in cache, multiplied by `W [Cout, K]`
/// and written straight into NCHW with bias and activation (no `[Cout, N·L]` intermediate, no transpose).
/// Backward, with `gz[n] = g[n] · [y[n] > 0]`: `gW = Σₙ gz[n] · colsₙᵀ`, `gb = Σ gz`,
/// `gx[n] = col2im(Wᵀ · gz[n])`, each only when its input needs it; the columns are built again rather than
/// kept (a `[K, N·L]` matrix for the batch costs more memory traffic than rebuilding it in cache).
/// The reference it is tested against is im2col + mm + bias + ReLU as separate recorded ops.
///
/// Shapes: x `[N, C, H, W]`, weight `[Cout, C, kH, kW]`, bias `[Cout]`, all of one float dtype
/// (``conv2d(_:weight:bias:stride:padding:dilation:groups:)`` checks them) → `[N, Cout, oH, oW]`.
func fusedConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry g: ConvGeometry, relu: Bool) -> Tensor {
    precondition(x.shape == [g.batch, g.channels, g.height, g.width]
                     && weight.shape[1] * weight.shape[2] * weight.shape[3] == g.rows,
                 "fusedConv2d: input \(x.shape), weight \(weight.shape) do not match geometry")
    let cout = weight.shape[0]
    let outShape = [g.batch, cout, g.outHeight, g.outWidth]
    func forward<T: ConvolutionKernels>(_: T.Type) -> Tensor {
        var kg = g.kernelGeometry
        return x.withElements(T.self) { xp in
            weight.withElements(T.self) { wp in
                Tensor.make(shape: outShape, as: T.self) { y in
                    if let bias {
                        bias.withElements(T.self) { T.convForward(&kg, cout, xp, wp, $0, relu, y.baseAddress!) }
                    } else {
                        T.convForward(&kg, cout, xp, wp, nil, relu, y.baseAddress!)
                    }
                }
            }
        }
    }
    let y = withConvolutionScalar(x.dtype, op: "conv2d") { forward($0) }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record(y, op: relu ? "conv2d_relu" : "conv2d", inputs: inputs) { grad, out in
        let (wantsX, wantsW, wantsB) = (x.requiresGrad, weight.requiresGrad, bias?.requiresGrad ?? false)
        func backward<T: ConvolutionKernels>(_: T.Type) -> [Tensor?] {
            var kg = g.kernelGeometry
            let gx = wantsX ? Tensor.make(shape: x.shape, as: T.self) { _ in } : nil
            let gw = wantsW ? Tensor.make(shape: weight.shape, as: T.self) { _ in } : nil
            let gb = wantsB ? Tensor.make(shape: [cout], as: T.self) { _ in } : nil
            x.withElements(T.self) { xp in
                weight.withElements(T.self) { wp in
                    grad.withElements(T.self) { gp in
                        out.withElements(T.self) { yp in
                            T.convBackward(&kg, cout, xp, wp, gp, relu ? yp : nil, gx?.freshPointer(T.self),
                                           gw?.freshPointer(T.self), gb?.freshPointer(T.self))
                        }
                    }
                }
            }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
        return withConvolutionScalar(grad.dtype, op: "conv2d backward") { backward($0) }
    }
}
