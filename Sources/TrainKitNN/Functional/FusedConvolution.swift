import TrainKitCore

/// 2-d convolution with `groups = 1`, optionally followed by ReLU: `y[n] = act(W · im2col(x[n]) + b)` with
/// `act` = ReLU when `relu`, else the identity.
///
/// One recorded op when the inputs' backend has a fused convolution (`Backend.fusedConvolution`): the CPU's
/// builds each image's column matrix `[K, L]` (`K = C·kH·kW`, `L = oH·oW`) while it stays in cache,
/// multiplies it by `W [Cout, K]` and writes NCHW with bias and activation in one pass. Backward, with
/// `gz[n] = g[n] · [y[n] > 0]`: `gW = Σₙ gz[n] · colsₙᵀ`, `gb = Σ gz`, `gx[n] = col2im(Wᵀ · gz[n])`, each only
/// when its input needs it. Otherwise (or with fused kernels switched off, see ``FusedPath``) it is
/// ``composedConv2d(_:weight:bias:geometry:groups:relu:)``: im2col + mm + bias + ReLU as recorded ops, the
/// composition the fused kernel must match.
///
/// Shapes: x `[N, C, H, W]`, weight `[Cout, C, kH, kW]`, bias `[Cout]`, all of one float dtype
/// (``conv2d(_:weight:bias:stride:padding:dilation:groups:)`` checks them) → `[N, Cout, oH, oW]`.
func fusedConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry, relu: Bool) -> Tensor {
    precondition(x.shape == [g.batch, g.channels, g.height, g.width]
                     && weight.shape[1] * weight.shape[2] * weight.shape[3] == g.rows,
                 "fusedConv2d: input \(x.shape), weight \(weight.shape) do not match geometry")
    let backend = Tensor.commonBackend(x, weight, op: "conv2d")
    if let bias { _ = Tensor.commonBackend(x, bias, op: "conv2d") }
    guard let kernels = fused(backend.fusedConvolution) else {
        return composedConv2d(x, weight: weight, bias: bias, geometry: g, groups: 1, relu: relu)
    }
    let cout = weight.shape[0], dtype = x.dtype
    let input = x.detach().contiguous(), w = weight.detach().contiguous(), b = bias?.detach().contiguous()
    let y = input.uninitializedLike([g.batch, cout, g.outHeight, g.outWidth])  // the kernel writes every element
    withExtendedLifetime(b) {
        kernels.forward(dtype, g, outChannels: cout, x: input.address, weight: w.address, bias: b?.address,
                        relu: relu, y: y.address)
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record(y, op: relu ? "conv2d_relu" : "conv2d", inputs: inputs) { grad, out in
        let gy = grad.contiguous()
        // Each gradient only when its input needs it; the kernel writes every element of those it is given.
        let gx = x.requiresGrad ? input.uninitializedLike(x.shape) : nil
        let gw = weight.requiresGrad ? w.uninitializedLike(weight.shape) : nil
        let gb = bias?.requiresGrad == true ? w.uninitializedLike([cout]) : nil
        withExtendedLifetime(gy) {
            kernels.backward(dtype, g, outChannels: cout, x: input.address, weight: w.address, gy: gy.address,
                             y: relu ? out.address : nil, gx: gx?.address, gw: gw?.address, gbias: gb?.address)
        }
        return bias == nil ? [gx, gw] : [gx, gw, gb]
    }
}
