import CTrainKitKernels
import TrainKitCore

/// A float type with the C convolution and pooling kernels of `tk_conv.h` (float32 and float64), so the
/// Swift callers are written once, generically. Shapes and formulas are those of the C header.
protocol ConvolutionKernels: NNFloat {
    /// `x [N, C, H, W] -> cols [C·kH·kW, N·oH·oW]`.
    static func im2col(_ g: inout tk_conv_geometry, _ x: UnsafePointer<Self>, _ cols: UnsafeMutablePointer<Self>)
    /// `cols [C·kH·kW, N·oH·oW] -> x [N, C, H, W]` (overlaps summed; `x` fully written).
    static func col2im(_ g: inout tk_conv_geometry, _ cols: UnsafePointer<Self>, _ x: UnsafeMutablePointer<Self>)
    /// Fused convolution, image by image: `y[n] = act(W · im2col(x[n]) + bias)`, W `[Cout, C·kH·kW]`.
    static func convForward(_ g: inout tk_conv_geometry, _ cout: Int, _ x: UnsafePointer<Self>,
                            _ w: UnsafePointer<Self>, _ bias: UnsafePointer<Self>?, _ relu: Bool,
                            _ y: UnsafeMutablePointer<Self>)
    /// Its backward (`y` given after a fused ReLU): gx, gw and gbias, each skipped when nil.
    static func convBackward(_ g: inout tk_conv_geometry, _ cout: Int, _ x: UnsafePointer<Self>,
                             _ w: UnsafePointer<Self>, _ gy: UnsafePointer<Self>, _ y: UnsafePointer<Self>?,
                             _ gx: UnsafeMutablePointer<Self>?, _ gw: UnsafeMutablePointer<Self>?,
                             _ gbias: UnsafeMutablePointer<Self>?)
    /// Max pooling over `batch·channels` planes with the argmax index inside each plane.
    static func maxPool(_ g: inout tk_conv_geometry, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>,
                        _ argmax: UnsafeMutablePointer<Int32>)
    /// `gx[p, argmax[p, k]] += gy[p, k]` from zero.
    static func maxPoolBackward(_ g: inout tk_conv_geometry, _ gy: UnsafePointer<Self>,
                                _ argmax: UnsafePointer<Int32>, _ gx: UnsafeMutablePointer<Self>)
}

extension Float: ConvolutionKernels {
    static func im2col(_ g: inout tk_conv_geometry, _ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>) {
        tk_im2col_f32(&g, x, cols)
    }
    static func col2im(_ g: inout tk_conv_geometry, _ cols: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>) {
        tk_col2im_f32(&g, cols, x)
    }
    static func convForward(_ g: inout tk_conv_geometry, _ cout: Int, _ x: UnsafePointer<Float>,
                            _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?, _ relu: Bool,
                            _ y: UnsafeMutablePointer<Float>) {
        tk_conv2d_forward_f32(&g, Int64(cout), x, w, bias, relu ? 1 : 0, y)
    }
    static func convBackward(_ g: inout tk_conv_geometry, _ cout: Int, _ x: UnsafePointer<Float>,
                             _ w: UnsafePointer<Float>, _ gy: UnsafePointer<Float>, _ y: UnsafePointer<Float>?,
                             _ gx: UnsafeMutablePointer<Float>?, _ gw: UnsafeMutablePointer<Float>?,
                             _ gbias: UnsafeMutablePointer<Float>?) {
        tk_conv2d_backward_f32(&g, Int64(cout), x, w, gy, y, gx, gw, gbias)
    }
    static func maxPool(_ g: inout tk_conv_geometry, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                        _ argmax: UnsafeMutablePointer<Int32>) {
        tk_maxpool2d_f32(&g, x, y, argmax)
    }
    static func maxPoolBackward(_ g: inout tk_conv_geometry, _ gy: UnsafePointer<Float>,
                                _ argmax: UnsafePointer<Int32>, _ gx: UnsafeMutablePointer<Float>) {
        tk_maxpool2d_backward_f32(&g, gy, argmax, gx)
    }
}

extension Double: ConvolutionKernels {
    static func im2col(_ g: inout tk_conv_geometry, _ x: UnsafePointer<Double>, _ cols: UnsafeMutablePointer<Double>) {
        tk_im2col_f64(&g, x, cols)
    }
    static func col2im(_ g: inout tk_conv_geometry, _ cols: UnsafePointer<Double>, _ x: UnsafeMutablePointer<Double>) {
        tk_col2im_f64(&g, cols, x)
    }
    static func convForward(_ g: inout tk_conv_geometry, _ cout: Int, _ x: UnsafePointer<Double>,
                            _ w: UnsafePointer<Double>, _ bias: UnsafePointer<Double>?, _ relu: Bool,
                            _ y: UnsafeMutablePointer<Double>) {
        tk_conv2d_forward_f64(&g, Int64(cout), x, w, bias, relu ? 1 : 0, y)
    }
    static func convBackward(_ g: inout tk_conv_geometry, _ cout: Int, _ x: UnsafePointer<Double>,
                             _ w: UnsafePointer<Double>, _ gy: UnsafePointer<Double>, _ y: UnsafePointer<Double>?,
                             _ gx: UnsafeMutablePointer<Double>?, _ gw: UnsafeMutablePointer<Double>?,
                             _ gbias: UnsafeMutablePointer<Double>?) {
        tk_conv2d_backward_f64(&g, Int64(cout), x, w, gy, y, gx, gw, gbias)
    }
    static func maxPool(_ g: inout tk_conv_geometry, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                        _ argmax: UnsafeMutablePointer<Int32>) {
        tk_maxpool2d_f64(&g, x, y, argmax)
    }
    static func maxPoolBackward(_ g: inout tk_conv_geometry, _ gy: UnsafePointer<Double>,
                                _ argmax: UnsafePointer<Int32>, _ gx: UnsafeMutablePointer<Double>) {
        tk_maxpool2d_backward_f64(&g, gy, argmax, gx)
    }
}

extension ConvGeometry {
    /// This geometry as the C kernels take it.
    var kernelGeometry: tk_conv_geometry {
        tk_conv_geometry(batch: Int64(batch), channels: Int64(channels), height: Int64(height), width: Int64(width),
                         kernel_h: Int64(kernelH), kernel_w: Int64(kernelW), stride_h: Int64(strideH),
                         stride_w: Int64(strideW), pad_h: Int64(padH), pad_w: Int64(padW),
                         dilation_h: Int64(dilationH), dilation_w: Int64(dilationW), out_h: Int64(outHeight),
                         out_w: Int64(outWidth))
    }
}

/// Runs `body` specialised for the float type of `dtype` (float32 or float64).
@inline(__always)
func withConvolutionScalar<R>(_ dtype: DType, op: StaticString, _ body: (any ConvolutionKernels.Type) -> R) -> R {
    switch dtype {
    case .float32: return body(Float.self)
    case .float64: return body(Double.self)
    default: preconditionFailure("\(op): needs a float tensor, got \(dtype)")
    }
}
