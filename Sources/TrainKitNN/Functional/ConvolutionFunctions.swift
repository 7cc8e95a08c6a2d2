import TrainKitCore

/// 2-d cross-correlation (PyTorch's `F.conv2d`, no kernel flip, zero padding):
/// `y[n, o, oy, ox] = b[o] + Σ_{c ∈ group(o), i, j} w[o, c, i, j] · x[n, c, oy·sH - pH + i·dH, ox·sW - pW + j·dW]`.
///
/// Shapes: input `[N, C, H, W]`, weight `[Cout, C/groups, kH, kW]`, bias `[Cout]` →
/// `[N, Cout, oH, oW]` with `oH = ⌊(H + 2pH - dH(kH-1) - 1)/sH⌋ + 1` (same for W).
/// Computed as im2col followed by one GEMM per group (``composedConv2d(_:weight:bias:geometry:groups:relu:)``);
/// `groups = 1` goes through ``fusedConv2d(_:weight:bias:geometry:relu:)``, one op where the backend has the kernel.
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2d = 1, padding: Size2d = 0,
                   dilation: Size2d = 1, groups: Int = 1) -> Tensor {
    conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups,
           relu: false)
}

/// ``conv2d(_:weight:bias:stride:padding:dilation:groups:)`` followed by ReLU when `relu` (fused into the
/// convolution's output pass for `groups = 1` on a backend with a fused convolution).
func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Size2d, padding: Size2d, dilation: Size2d,
            groups: Int, relu: Bool) -> Tensor {
    precondition(input.rank == 4, "conv2d: input must be [N, C, H, W], got \(input.shape)")
    precondition(weight.rank == 4, "conv2d: weight must be [Cout, C/groups, kH, kW], got \(weight.shape)")
    let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (cout, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    precondition(groups >= 1 && c == cg * groups && cout % groups == 0,
                 "conv2d: input \(input.shape) and weight \(weight.shape) do not fit groups = \(groups) (need C = \(cg)·groups, Cout divisible by groups)")
    precondition(stride.height > 0 && stride.width > 0 && dilation.height > 0 && dilation.width > 0 && padding.height >= 0 && padding.width >= 0,
                 "conv2d: stride \(stride) and dilation \(dilation) must be positive, padding \(padding) non-negative")
    let oh = ConvolutionGeometry.outputSize(h, kernel: kh, stride: stride.height, padding: padding.height, dilation: dilation.height)
    let ow = ConvolutionGeometry.outputSize(w, kernel: kw, stride: stride.width, padding: padding.width, dilation: dilation.width)
    precondition(oh > 0 && ow > 0, "conv2d: input \(input.shape) is too small for kernel \(kh)x\(kw) (dilation \(dilation), padding \(padding))")
    if let bias { precondition(bias.shape == [cout], "conv2d: bias shape \(bias.shape), expected [\(cout)]") }
    let (x, wt, bias) = promotedFloatOperands("conv2d", input, weight, bias)
    let g = ConvolutionGeometry(batch: n, channels: c, height: h, width: w, kernelH: kh, kernelW: kw,
                                strideH: stride.height, strideW: stride.width, padH: padding.height, padW: padding.width,
                                dilationH: dilation.height, dilationW: dilation.width, outHeight: oh,
                                outWidth: ow)
    if groups == 1 {
        return fusedConv2d(x, weight: wt, bias: bias, geometry: g, relu: relu)
    }
    return composedConv2d(x, weight: wt, bias: bias, geometry: g, groups: groups, relu: relu)
}

/// Convolution as recorded primitives: im2col, one GEMM per group, bias, ReLU when `relu`. The path every
/// backend can run; ``fusedConv2d(_:weight:bias:geometry:relu:)`` is its one-op form.
///
/// Shapes: x `[N, C, H, W]` (matching `g`), weight `[Cout, C/groups, kH, kW]`, bias `[Cout]` →
/// `[N, Cout, oH, oW]`.
func composedConv2d(_ x: Tensor, weight wt: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry, groups: Int,
                    relu: Bool) -> Tensor {
    let (n, oh, ow) = (g.batch, g.outHeight, g.outWidth)
    let cout = wt.shape[0], coutG = cout / groups, k = g.rows / groups
    let cols = im2col(x, g)  // [C·K, N·L]
    var out: Tensor
    if groups == 1 {
        out = wt.reshape([cout, k]).mm(cols)
    } else {
        let parts = (0..<groups).map { grp in
            wt.narrow(0, start: grp * coutG, length: coutG).reshape([coutG, k]).mm(cols.narrow(0, start: grp * k, length: k))
        }
        out = Tensor.cat(parts, dim: 0)
    }
    if let bias { out = out + bias.reshape([cout, 1]) }  // [Cout, N·L]
    let y = out.reshape([cout, n, oh, ow]).permute([1, 0, 2, 3]).contiguous()
    return relu ? y.relu() : y
}

/// 1-d cross-correlation (PyTorch's `F.conv1d`): conv2d over a height-1 image.
///
/// Shapes: input `[N, C, L]`, weight `[Cout, C/groups, k]`, bias `[Cout]` → `[N, Cout, oL]`,
/// `oL = ⌊(L + 2p - d(k-1) - 1)/s⌋ + 1`.
public func conv1d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                   dilation: Int = 1, groups: Int = 1) -> Tensor {
    precondition(input.rank == 3, "conv1d: input must be [N, C, L], got \(input.shape)")
    precondition(weight.rank == 3, "conv1d: weight must be [Cout, C/groups, k], got \(weight.shape)")
    return conv2d(input.unsqueeze(2), weight: weight.unsqueeze(2), bias: bias, stride: Size2d(1, stride),
                  padding: Size2d(0, padding), dilation: Size2d(1, dilation), groups: groups).squeeze(2)
}

/// 2-d transposed convolution (PyTorch's `F.conv_transpose2d`), the adjoint of conv2d: each input pixel
/// scatters `x[n, c, y, x] · w[c, o, i, j]` to output position `(y·sH - pH + i·dH, x·sW - pW + j·dW)`.
///
/// Shapes: input `[N, Cin, H, W]`, weight `[Cin, Cout/groups, kH, kW]`, bias `[Cout]` →
/// `[N, Cout, oH, oW]`, `oH = (H-1)·sH - 2pH + dH(kH-1) + outputPaddingH + 1`.
/// Computed as one GEMM per group followed by col2im.
public func convTranspose2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2d = 1,
                            padding: Size2d = 0, outputPadding: Size2d = 0, groups: Int = 1,
                            dilation: Size2d = 1) -> Tensor {
    precondition(input.rank == 4, "convTranspose2d: input must be [N, Cin, H, W], got \(input.shape)")
    precondition(weight.rank == 4, "convTranspose2d: weight must be [Cin, Cout/groups, kH, kW], got \(weight.shape)")
    let (n, cin, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (wcin, coutG, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    precondition(groups >= 1 && cin == wcin && cin % groups == 0,
                 "convTranspose2d: input \(input.shape) and weight \(weight.shape) do not fit groups = \(groups)")
    precondition(outputPadding.height < Swift.max(stride.height, dilation.height)
                 && outputPadding.width < Swift.max(stride.width, dilation.width),
                 "convTranspose2d: output padding \(outputPadding) must be smaller than stride \(stride) or dilation \(dilation)")
    let cout = coutG * groups
    let oh = (h - 1) * stride.height - 2 * padding.height + dilation.height * (kh - 1) + outputPadding.height + 1
    let ow = (w - 1) * stride.width - 2 * padding.width + dilation.width * (kw - 1) + outputPadding.width + 1
    precondition(oh > 0 && ow > 0, "convTranspose2d: output size \(oh)x\(ow) is not positive for input \(input.shape)")
    if let bias { precondition(bias.shape == [cout], "convTranspose2d: bias shape \(bias.shape), expected [\(cout)]") }
    let (x, wt, bias) = promotedFloatOperands("convTranspose2d", input, weight, bias)
    let g = ConvolutionGeometry(batch: n, channels: cout, height: oh, width: ow, kernelH: kh, kernelW: kw,
                                strideH: stride.height, strideW: stride.width, padH: padding.height,
                                padW: padding.width, dilationH: dilation.height, dilationW: dilation.width,
                                outHeight: h, outWidth: w)
    let xm = x.permute([1, 0, 2, 3]).reshape([cin, n * h * w])  // [Cin, N·H·W]
    let cinG = cin / groups, k = coutG * kh * kw
    var cols: Tensor
    if groups == 1 {
        cols = wt.reshape([cin, k]).T.mm(xm)
    } else {
        let parts = (0..<groups).map { grp in
            wt.narrow(0, start: grp * cinG, length: cinG).reshape([cinG, k]).T
                .mm(xm.narrow(0, start: grp * cinG, length: cinG))
        }
        cols = Tensor.cat(parts, dim: 0)  // [Cout·K, N·H·W]
    }
    var out = col2im(cols, g)
    if let bias { out = out + bias.reshape([1, cout, 1, 1]) }
    return out
}

/// `input`, `weight` and `bias` converted to their promoted dtype (float32 with float64 → float64, as in `linear`).
/// Integer operands stop with an error naming `op` and the dtypes. Same-dtype operands pass through without work.
private func promotedFloatOperands(_ op: StaticString, _ input: Tensor, _ weight: Tensor, _ bias: Tensor?)
    -> (Tensor, Tensor, Tensor?)
{
    if input.dtype.isFloatingPoint && input.dtype == weight.dtype && (bias?.dtype ?? input.dtype) == input.dtype {
        return (input, weight, bias)
    }
    let dtypes = [input.dtype, weight.dtype] + (bias.map { [$0.dtype] } ?? [])
    precondition(dtypes.allSatisfy(\.isFloatingPoint),
                 "\(op): needs float tensors, got \(dtypes.map(\.description).joined(separator: " and ")); use .to(.float32)")
    let dtype = dtypes.reduce(dtypes[0], DType.promoted)
    return (input.to(dtype), weight.to(dtype), bias?.to(dtype))
}
