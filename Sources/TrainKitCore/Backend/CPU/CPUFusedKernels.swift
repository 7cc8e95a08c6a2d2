import CTrainKitKernels

/// The CPU backend's fused kernels: convolution with bias and ReLU (`tk_conv2d_*`), layer norm
/// (`tk_layer_norm_*`) and the LSTM recurrence (`tk_lstm_*`).
struct CPUFusedKernels: FusedConvolutionKernels, FusedLayerNormKernels, FusedLSTMKernels {
    static let shared = CPUFusedKernels()

    func forward(_ dtype: DType, _ g: ConvolutionGeometry, outChannels: Int, x: UnsafeRawPointer,
                 weight: UnsafeRawPointer, bias: UnsafeRawPointer?, relu: Bool, y: UnsafeMutableRawPointer) {
        var k = g.kernelGeometry
        switch dtype {
        case .float32: tk_conv2d_forward_f32(&k, Int64(outChannels), x.f32, weight.f32, bias?.f32, relu ? 1 : 0, y.f32)
        case .float64: tk_conv2d_forward_f64(&k, Int64(outChannels), x.f64, weight.f64, bias?.f64, relu ? 1 : 0, y.f64)
        case .int32, .int64, .bool: CPUBackend.shared.unsupported("conv2d", dtype)
        }
    }

    func backward(_ dtype: DType, _ g: ConvolutionGeometry, outChannels: Int, x: UnsafeRawPointer,
                  weight: UnsafeRawPointer, gy: UnsafeRawPointer, y: UnsafeRawPointer?,
                  gx: UnsafeMutableRawPointer?, gw: UnsafeMutableRawPointer?, gbias: UnsafeMutableRawPointer?) {
        var k = g.kernelGeometry
        switch dtype {
        case .float32:
            tk_conv2d_backward_f32(&k, Int64(outChannels), x.f32, weight.f32, gy.f32, y?.f32, gx?.f32, gw?.f32,
                                   gbias?.f32)
        case .float64:
            tk_conv2d_backward_f64(&k, Int64(outChannels), x.f64, weight.f64, gy.f64, y?.f64, gx?.f64, gw?.f64,
                                   gbias?.f64)
        case .int32, .int64, .bool: CPUBackend.shared.unsupported("conv2d backward", dtype)
        }
    }

    func forward(_ dtype: DType, rows: Int, d: Int, x: UnsafeRawPointer, weight: UnsafeRawPointer?,
                 bias: UnsafeRawPointer?, eps: Double, y: UnsafeMutableRawPointer, stats: UnsafeMutableRawPointer) {
        switch dtype {
        case .float32: tk_layer_norm_f32(Int64(rows), Int64(d), x.f32, weight?.f32, bias?.f32, eps, y.f32, stats.f32)
        case .float64: tk_layer_norm_f64(Int64(rows), Int64(d), x.f64, weight?.f64, bias?.f64, eps, y.f64, stats.f64)
        case .int32, .int64, .bool: CPUBackend.shared.unsupported("layer_norm", dtype)
        }
    }

    func backward(_ dtype: DType, rows: Int, d: Int, x: UnsafeRawPointer, weight: UnsafeRawPointer?,
                  stats: UnsafeRawPointer, g: UnsafeRawPointer, dx: UnsafeMutableRawPointer,
                  dw: UnsafeMutableRawPointer?, db: UnsafeMutableRawPointer?) {
        switch dtype {
        case .float32:
            tk_layer_norm_backward_f32(Int64(rows), Int64(d), x.f32, weight?.f32, stats.f32, g.f32, dx.f32, dw?.f32,
                                       db?.f32)
        case .float64:
            tk_layer_norm_backward_f64(Int64(rows), Int64(d), x.f64, weight?.f64, stats.f64, g.f64, dx.f64, dw?.f64,
                                       db?.f64)
        case .int32, .int64, .bool: CPUBackend.shared.unsupported("layer_norm backward", dtype)
        }
    }

    func forward(_ dtype: DType, steps: Int, batch: Int, hidden: Int, xw: UnsafeRawPointer, h0: UnsafeRawPointer,
                 c0: UnsafeRawPointer, whh: UnsafeRawPointer, y: UnsafeMutableRawPointer,
                 acts: UnsafeMutableRawPointer, cells: UnsafeMutableRawPointer, tanhCells: UnsafeMutableRawPointer) {
        let (t, n, h) = (Int64(steps), Int64(batch), Int64(hidden))
        switch dtype {
        case .float32:
            tk_lstm_forward_f32(t, n, h, xw.f32, h0.f32, c0.f32, whh.f32, y.f32, acts.f32, cells.f32, tanhCells.f32)
        case .float64:
            tk_lstm_forward_f64(t, n, h, xw.f64, h0.f64, c0.f64, whh.f64, y.f64, acts.f64, cells.f64, tanhCells.f64)
        case .int32, .int64, .bool: CPUBackend.shared.unsupported("lstm", dtype)
        }
    }

    func backward(_ dtype: DType, steps: Int, batch: Int, hidden: Int, gy: UnsafeRawPointer, c0: UnsafeRawPointer,
                  whh: UnsafeRawPointer, acts: UnsafeRawPointer, cells: UnsafeRawPointer,
                  tanhCells: UnsafeRawPointer, dz: UnsafeMutableRawPointer, dh0: UnsafeMutableRawPointer,
                  dc0: UnsafeMutableRawPointer) {
        let (t, n, h) = (Int64(steps), Int64(batch), Int64(hidden))
        switch dtype {
        case .float32:
            tk_lstm_backward_f32(t, n, h, gy.f32, c0.f32, whh.f32, acts.f32, cells.f32, tanhCells.f32, dz.f32,
                                 dh0.f32, dc0.f32)
        case .float64:
            tk_lstm_backward_f64(t, n, h, gy.f64, c0.f64, whh.f64, acts.f64, cells.f64, tanhCells.f64, dz.f64,
                                 dh0.f64, dc0.f64)
        case .int32, .int64, .bool: CPUBackend.shared.unsupported("lstm backward", dtype)
        }
    }
}
