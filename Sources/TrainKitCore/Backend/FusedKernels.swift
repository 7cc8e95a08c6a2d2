/// Optional fused kernels a backend may offer (``Backend/fusedConvolution`` and its siblings). Each has a
/// composition of primitives that ops use when the backend returns nil, so a backend with only the
/// primitives runs every model; the fused form must match the composition within rounding.

/// 2-d convolution (groups 1) image by image with bias and ReLU: `y[n] = act(W·im2col(x[n]) + bias)`,
/// W `[Cout, C·kH·kW]`, y `[N, Cout, oH·oW]`; `bias` may be nil; `act` is ReLU when `relu`.
package protocol FusedConvolutionKernels: Sendable {
    func forward(_ dtype: DType, _ g: ConvolutionGeometry, outChannels: Int, x: UnsafeRawPointer,
                 weight: UnsafeRawPointer, bias: UnsafeRawPointer?, relu: Bool, y: UnsafeMutableRawPointer)
    /// With `gz[n] = gy[n]·[y[n] > 0]` (the factor only when `y` is given, after a fused ReLU):
    /// `gw = Σ gz[n]·im2col(x[n])ᵀ`, `gbias = Σ gz`, `gx[n] = col2im(Wᵀ·gz[n])`; each output skipped when nil.
    func backward(_ dtype: DType, _ g: ConvolutionGeometry, outChannels: Int, x: UnsafeRawPointer,
                  weight: UnsafeRawPointer, gy: UnsafeRawPointer, y: UnsafeRawPointer?,
                  gx: UnsafeMutableRawPointer?, gw: UnsafeMutableRawPointer?, gbias: UnsafeMutableRawPointer?)
}

/// Row normalization of contiguous `[rows, d]`: `y = (x - μ)·r·w + b`, `r = 1/√(σ² + eps)` (biased variance),
/// `w`, `b` `[d]` or nil; `stats [rows, 2]` = (μ, r) for the backward.
package protocol FusedLayerNormKernels: Sendable {
    func forward(_ dtype: DType, rows: Int, d: Int, x: UnsafeRawPointer, weight: UnsafeRawPointer?,
                 bias: UnsafeRawPointer?, eps: Double, y: UnsafeMutableRawPointer, stats: UnsafeMutableRawPointer)
    /// `dx = r·(dŷ - mean(dŷ) - x̂·mean(dŷ·x̂))` with `dŷ = g·w`; `dw = Σ g·x̂`, `db = Σ g` (nil: skipped).
    func backward(_ dtype: DType, rows: Int, d: Int, x: UnsafeRawPointer, weight: UnsafeRawPointer?,
                  stats: UnsafeRawPointer, g: UnsafeRawPointer, dx: UnsafeMutableRawPointer,
                  dw: UnsafeMutableRawPointer?, db: UnsafeMutableRawPointer?)
}

/// One LSTM direction through `steps` time steps (gates i, f, g, o; G = 4H), as `tk_recurrence.h` documents:
/// xw `[T, N, G]`, h0/c0 `[N, H]`, whh `[G, H]` → y `[T+1, N, H]` (row T the final cell), and for the
/// backward acts `[T, N, G]`, cells and tanhCells `[T, N, H]`.
package protocol FusedLSTMKernels: Sendable {
    func forward(_ dtype: DType, steps: Int, batch: Int, hidden: Int, xw: UnsafeRawPointer, h0: UnsafeRawPointer,
                 c0: UnsafeRawPointer, whh: UnsafeRawPointer, y: UnsafeMutableRawPointer,
                 acts: UnsafeMutableRawPointer, cells: UnsafeMutableRawPointer, tanhCells: UnsafeMutableRawPointer)
    /// gy `[T+1, N, H]` → dz `[T, N, G]` (dL/dxw), dh0 and dc0 `[N, H]`.
    func backward(_ dtype: DType, steps: Int, batch: Int, hidden: Int, gy: UnsafeRawPointer, c0: UnsafeRawPointer,
                  whh: UnsafeRawPointer, acts: UnsafeRawPointer, cells: UnsafeRawPointer,
                  tanhCells: UnsafeRawPointer, dz: UnsafeMutableRawPointer, dh0: UnsafeMutableRawPointer,
                  dc0: UnsafeMutableRawPointer)
}
