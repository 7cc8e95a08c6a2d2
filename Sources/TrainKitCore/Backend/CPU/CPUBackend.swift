import CTrainKitKernels

/// The CPU backend: the C kernels of `CTrainKitKernels` (SIMD through `target_clones`, the worker pool,
/// BLAS when one is found, the packed built-in GEMM otherwise) over host memory from the size-bucketed pool.
package final class CPUBackend: Backend, @unchecked Sendable {
    package static let shared = CPUBackend()
    package let device = Device.cpu
    package let isHostAccessible = true

    package func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        guard let p = tk_pool_alloc(Int64(Swift.max(byteCount, 1))) else {
            fatalError("TrainKit: out of memory allocating \(byteCount) bytes on \(device)")
        }
        return p
    }

    package func deallocate(_ address: UnsafeMutableRawPointer, byteCount: Int) {
        tk_pool_free(address, Int64(Swift.max(byteCount, 1)))
    }

    package func allocateLongLived(byteCount: Int) -> UnsafeMutableRawPointer {
        tk_aligned_alloc(Swift.max(byteCount, 1))
    }

    package func deallocateLongLived(_ address: UnsafeMutableRawPointer, byteCount: Int) {
        tk_aligned_free(address)
    }

    package func copyToHost(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, byteCount: Int) {
        destination.copyMemory(from: source, byteCount: byteCount)
    }

    package func copyFromHost(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, byteCount: Int) {
        destination.copyMemory(from: source, byteCount: byteCount)
    }

    // MARK: Copy, fill, convert

    package func copy(byteCount: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        destination.copyMemory(from: source, byteCount: byteCount)
    }

    package func copyStrided(elementSize: Int, shape: [Int], source: UnsafeRawPointer, strides: [Int],
                             destination: UnsafeMutableRawPointer) {
        withInt64(shape, strides) { s, st in
            tk_copy_strided(Int32(elementSize), Int32(shape.count), s, source, st, destination)
        }
    }

    package func copyToStrided(elementSize: Int, shape: [Int], source: UnsafeRawPointer,
                               destination: UnsafeMutableRawPointer, strides: [Int]) {
        withInt64(shape, strides) { s, st in
            tk_copy_to_strided(Int32(elementSize), Int32(shape.count), s, source, destination, st)
        }
    }

    package func fill(elementSize: Int, count: Int, destination: UnsafeMutableRawPointer, pattern: UInt64) {
        var value = pattern
        tk_fill(Int32(elementSize), Int64(count), destination, &value)
    }

    package func convert(from: DType, to: DType, count: Int, source: UnsafeRawPointer,
                         destination: UnsafeMutableRawPointer) {
        tk_convert(from.kernelCode, to.kernelCode, Int64(count), source, destination)
    }

    package func accumulate(_ dtype: DType, count: Int, source: UnsafeRawPointer, destination: UnsafeMutableRawPointer) {
        switch dtype {
        case .float32: tk_accumulate_f32(Int64(count), source.f32, destination.f32)
        case .float64: tk_accumulate_f64(Int64(count), source.f64, destination.f64)
        case .int32, .int64, .bool: unsupported("accumulate", dtype)
        }
    }

    // MARK: Element-wise

    package func binary(_ op: BinaryOp, _ dtype: DType, shape: [Int], a: UnsafeRawPointer, aStrides: [Int],
                        b: UnsafeRawPointer, bStrides: [Int], out: UnsafeMutableRawPointer) {
        withInt64(shape, aStrides, bStrides) { s, sa, sb in
            switch dtype {
            case .float32: tk_binary_f32(op.rawValue, Int32(shape.count), s, a.f32, sa, b.f32, sb, out.f32)
            case .float64: tk_binary_f64(op.rawValue, Int32(shape.count), s, a.f64, sa, b.f64, sb, out.f64)
            case .int32, .int64, .bool: unsupported("binary", dtype)
            }
        }
    }

    package func binaryFlat(_ op: BinaryOp, _ dtype: DType, count: Int, operands: FlatOperands,
                            a: UnsafeRawPointer, b: UnsafeRawPointer, out: UnsafeMutableRawPointer) {
        var n = Int64(count)
        var sa: Int64 = operands == .scalarA ? 0 : 1
        var sb: Int64 = operands == .scalarB ? 0 : 1
        switch dtype {
        case .float32: tk_binary_f32(op.rawValue, 1, &n, a.f32, &sa, b.f32, &sb, out.f32)
        case .float64: tk_binary_f64(op.rawValue, 1, &n, a.f64, &sa, b.f64, &sb, out.f64)
        case .int32, .int64, .bool: unsupported("binary", dtype)
        }
    }

    package func compare(_ op: BinaryOp, _ dtype: DType, shape: [Int], a: UnsafeRawPointer, aStrides: [Int],
                         b: UnsafeRawPointer, bStrides: [Int], out: UnsafeMutableRawPointer) {
        let o = out.assumingMemoryBound(to: UInt8.self)
        withInt64(shape, aStrides, bStrides) { s, sa, sb in
            switch dtype {
            case .float32: tk_compare_f32(op.rawValue, Int32(shape.count), s, a.f32, sa, b.f32, sb, o)
            case .float64: tk_compare_f64(op.rawValue, Int32(shape.count), s, a.f64, sa, b.f64, sb, o)
            case .int32, .int64, .bool: unsupported("compare", dtype)
            }
        }
    }

    package func unary(_ op: UnaryOp, _ dtype: DType, count: Int, x: UnsafeRawPointer, out: UnsafeMutableRawPointer,
                       p0: Double, p1: Double) {
        switch dtype {
        case .float32: tk_unary_f32(op.rawValue, Int64(count), x.f32, out.f32, p0, p1)
        case .float64: tk_unary_f64(op.rawValue, Int64(count), x.f64, out.f64, p0, p1)
        case .int32, .int64, .bool: unsupported("unary", dtype)
        }
    }

    package func unaryBackward(_ op: UnaryOp, _ dtype: DType, count: Int, x: UnsafeRawPointer, y: UnsafeRawPointer,
                               g: UnsafeRawPointer, gx: UnsafeMutableRawPointer, p0: Double, p1: Double) {
        switch dtype {
        case .float32: tk_unary_backward_f32(op.rawValue, Int64(count), x.f32, y.f32, g.f32, gx.f32, p0, p1)
        case .float64: tk_unary_backward_f64(op.rawValue, Int64(count), x.f64, y.f64, g.f64, gx.f64, p0, p1)
        case .int32, .int64, .bool: unsupported("unary backward", dtype)
        }
    }

    package func select(elementSize: Int, count: Int, condition: UnsafeRawPointer, a: UnsafeRawPointer,
                        b: UnsafeRawPointer, out: UnsafeMutableRawPointer) {
        tk_select(Int32(elementSize), Int64(count), condition.assumingMemoryBound(to: UInt8.self), a, b, out)
    }

    // MARK: Reductions and softmax

    package func reduce(_ op: ReduceOp, _ dtype: DType, outer: Int, extent: Int, inner: Int, x: UnsafeRawPointer,
                        out: UnsafeMutableRawPointer) {
        switch dtype {
        case .float32: tk_reduce_f32(op.rawValue, Int64(outer), Int64(extent), Int64(inner), x.f32, out.f32)
        case .float64: tk_reduce_f64(op.rawValue, Int64(outer), Int64(extent), Int64(inner), x.f64, out.f64)
        case .int32, .int64, .bool: unsupported("reduce", dtype)
        }
    }

    package func argReduce(isMin: Bool, _ dtype: DType, outer: Int, extent: Int, inner: Int, x: UnsafeRawPointer,
                           out: UnsafeMutableRawPointer) {
        let o = out.assumingMemoryBound(to: Int64.self), m: Int32 = isMin ? 1 : 0
        switch dtype {
        case .float32: tk_argmax_f32(Int64(outer), Int64(extent), Int64(inner), x.f32, o, m)
        case .float64: tk_argmax_f64(Int64(outer), Int64(extent), Int64(inner), x.f64, o, m)
        case .int32, .int64, .bool: unsupported("argmax", dtype)
        }
    }

    package func softmax(_ dtype: DType, rows: Int, cols: Int, x: UnsafeRawPointer, y: UnsafeMutableRawPointer,
                         log: Bool) {
        switch dtype {
        case .float32: tk_softmax_f32(Int64(rows), Int64(cols), x.f32, y.f32, log ? 1 : 0)
        case .float64: tk_softmax_f64(Int64(rows), Int64(cols), x.f64, y.f64, log ? 1 : 0)
        case .int32, .int64, .bool: unsupported("softmax", dtype)
        }
    }

    package func softmaxBackward(_ dtype: DType, rows: Int, cols: Int, y: UnsafeRawPointer, g: UnsafeRawPointer,
                                 gx: UnsafeMutableRawPointer, log: Bool) {
        switch dtype {
        case .float32: tk_softmax_backward_f32(Int64(rows), Int64(cols), y.f32, g.f32, gx.f32, log ? 1 : 0)
        case .float64: tk_softmax_backward_f64(Int64(rows), Int64(cols), y.f64, g.f64, gx.f64, log ? 1 : 0)
        case .int32, .int64, .bool: unsupported("softmax backward", dtype)
        }
    }

    // MARK: Matrix products

    package func gemm(_ dtype: DType, _ p: GEMMProblem, a: UnsafeRawPointer, b: UnsafeRawPointer,
                      c: UnsafeMutableRawPointer) {
        let (ta, tb): (Int32, Int32) = (p.transA ? 1 : 0, p.transB ? 1 : 0)
        switch dtype {
        case .float32:
            tk_sgemm(ta, tb, Int64(p.m), Int64(p.n), Int64(p.k), Float(p.alpha), a.f32, Int64(p.lda), b.f32,
                     Int64(p.ldb), Float(p.beta), c.f32, Int64(p.ldc))
        case .float64:
            tk_dgemm(ta, tb, Int64(p.m), Int64(p.n), Int64(p.k), p.alpha, a.f64, Int64(p.lda), b.f64, Int64(p.ldb),
                     p.beta, c.f64, Int64(p.ldc))
        case .int32, .int64, .bool: unsupported("gemm", dtype)
        }
    }

    package func gemmBatched(_ dtype: DType, _ p: GEMMProblem, batch: Int, a: UnsafeRawPointer, strideA: Int,
                             b: UnsafeRawPointer, strideB: Int, c: UnsafeMutableRawPointer, strideC: Int) {
        switch dtype {
        case .float32:
            tk_sgemm_batched(p.transA ? 1 : 0, p.transB ? 1 : 0, Int64(batch), Int64(p.m), Int64(p.n), Int64(p.k),
                             Float(p.alpha), a.f32, Int64(strideA), Int64(p.lda), b.f32, Int64(strideB), Int64(p.ldb),
                             Float(p.beta), c.f32, Int64(strideC), Int64(p.ldc))
        case .float64:
            for i in 0..<batch {
                gemm(.float64, p, a: a + i * strideA * 8, b: b + i * strideB * 8, c: c + i * strideC * 8)
            }
        case .int32, .int64, .bool: unsupported("gemm", dtype)
        }
    }

    // MARK: Indexing

    package func indexSelect(elementSize: Int, outer: Int, extent: Int, inner: Int, source: UnsafeRawPointer,
                             index: UnsafeRawPointer, count: Int, destination: UnsafeMutableRawPointer) -> Int? {
        let bad = tk_index_select(Int32(elementSize), Int64(outer), Int64(extent), Int64(inner), source,
                                  index.assumingMemoryBound(to: Int64.self), Int64(count), destination)
        return bad < 0 ? nil : Int(index.assumingMemoryBound(to: Int64.self)[Int(bad)])
    }

    package func indexAdd(_ dtype: DType, outer: Int, extent: Int, inner: Int, source: UnsafeRawPointer,
                          index: UnsafeRawPointer, count: Int, destination: UnsafeMutableRawPointer) {
        let idx = index.assumingMemoryBound(to: Int64.self)
        switch dtype {
        case .float32:
            tk_index_add_f32(Int64(outer), Int64(extent), Int64(inner), source.f32, idx, Int64(count), destination.f32)
        case .float64:
            tk_index_add_f64(Int64(outer), Int64(extent), Int64(inner), source.f64, idx, Int64(count), destination.f64)
        case .int32, .int64, .bool: unsupported("index_add", dtype)
        }
    }

    package func gather(elementSize: Int, indexShape: [Int], index: UnsafeRawPointer, dim: Int, extent: Int,
                        source: UnsafeRawPointer, sourceStrides: [Int], destination: UnsafeMutableRawPointer) -> Int? {
        let idx = index.assumingMemoryBound(to: Int64.self)
        let bad = withInt64(indexShape, sourceStrides) { s, st in
            tk_gather(Int32(elementSize), Int32(indexShape.count), s, idx, Int32(dim), Int64(extent), source, st,
                      destination)
        }
        return bad < 0 ? nil : Int(idx[Int(bad)])
    }

    package func scatterAdd(_ dtype: DType, indexShape: [Int], index: UnsafeRawPointer, dim: Int,
                            source: UnsafeRawPointer, destination: UnsafeMutableRawPointer,
                            destinationStrides: [Int]) {
        let idx = index.assumingMemoryBound(to: Int64.self)
        withInt64(indexShape, destinationStrides) { s, st in
            switch dtype {
            case .float32: tk_scatter_add_f32(Int32(indexShape.count), s, idx, Int32(dim), source.f32, destination.f32, st)
            case .float64: tk_scatter_add_f64(Int32(indexShape.count), s, idx, Int32(dim), source.f64, destination.f64, st)
            case .int32, .int64, .bool: unsupported("scatter_add", dtype)
            }
        }
    }

    // MARK: Random

    package func randomUniform(_ dtype: DType, count: Int, key: RandomKey, low: Double, high: Double,
                               out: UnsafeMutableRawPointer) {
        PhiloxFill.fillUniform(dtype, 0..<count, key: key, low: low, high: high, out: out, backend: self)
    }

    package func randomNormal(_ dtype: DType, count: Int, key: RandomKey, mean: Double, std: Double,
                              out: UnsafeMutableRawPointer) {
        PhiloxFill.fillNormal(dtype, pairs: 0..<((count + 1) / 2), count: count, key: key, mean: mean, std: std,
                              out: out, backend: self)
    }

    // MARK: Convolution and pooling

    package func im2col(_ dtype: DType, _ g: ConvolutionGeometry, x: UnsafeRawPointer, cols: UnsafeMutableRawPointer) {
        var k = g.kernelGeometry
        switch dtype {
        case .float32: tk_im2col_f32(&k, x.f32, cols.f32)
        case .float64: tk_im2col_f64(&k, x.f64, cols.f64)
        case .int32, .int64, .bool: unsupported("im2col", dtype)
        }
    }

    package func col2im(_ dtype: DType, _ g: ConvolutionGeometry, cols: UnsafeRawPointer, x: UnsafeMutableRawPointer) {
        var k = g.kernelGeometry
        switch dtype {
        case .float32: tk_col2im_f32(&k, cols.f32, x.f32)
        case .float64: tk_col2im_f64(&k, cols.f64, x.f64)
        case .int32, .int64, .bool: unsupported("col2im", dtype)
        }
    }

    package func maxPool2d(_ dtype: DType, _ g: ConvolutionGeometry, x: UnsafeRawPointer, y: UnsafeMutableRawPointer,
                           argmax: UnsafeMutableRawPointer) {
        var k = g.kernelGeometry
        let am = argmax.assumingMemoryBound(to: Int32.self)
        switch dtype {
        case .float32: tk_maxpool2d_f32(&k, x.f32, y.f32, am)
        case .float64: tk_maxpool2d_f64(&k, x.f64, y.f64, am)
        case .int32, .int64, .bool: unsupported("max_pool2d", dtype)
        }
    }

    package func maxPool2dBackward(_ dtype: DType, _ g: ConvolutionGeometry, gy: UnsafeRawPointer,
                                   argmax: UnsafeRawPointer, gx: UnsafeMutableRawPointer) {
        var k = g.kernelGeometry
        let am = argmax.assumingMemoryBound(to: Int32.self)
        switch dtype {
        case .float32: tk_maxpool2d_backward_f32(&k, gy.f32, am, gx.f32)
        case .float64: tk_maxpool2d_backward_f64(&k, gy.f64, am, gx.f64)
        case .int32, .int64, .bool: unsupported("max_pool2d backward", dtype)
        }
    }

    // MARK: Fused kernels

    package var fusedConvolution: (any FusedConvolutionKernels)? { CPUFusedKernels.shared }
    package var fusedLayerNorm: (any FusedLayerNormKernels)? { CPUFusedKernels.shared }
    package var fusedLSTM: (any FusedLSTMKernels)? { CPUFusedKernels.shared }
}

// MARK: - Helpers

extension UnsafeRawPointer {
    @inline(__always) var f32: UnsafePointer<Float> { assumingMemoryBound(to: Float.self) }
    @inline(__always) var f64: UnsafePointer<Double> { assumingMemoryBound(to: Double.self) }
}

extension UnsafeMutableRawPointer {
    @inline(__always) var f32: UnsafeMutablePointer<Float> { assumingMemoryBound(to: Float.self) }
    @inline(__always) var f64: UnsafeMutablePointer<Double> { assumingMemoryBound(to: Double.self) }
}

extension DType {
    /// The dtype code of the C kernels (`tk_convert`): 0 f32, 1 f64, 2 i32, 3 i64, 4 bool.
    var kernelCode: Int32 {
        switch self {
        case .float32: 0
        case .float64: 1
        case .int32: 2
        case .int64: 3
        case .bool: 4
        }
    }
}

extension ConvolutionGeometry {
    /// This geometry as the C kernels take it.
    var kernelGeometry: tk_conv_geometry {
        tk_conv_geometry(batch: Int64(batch), channels: Int64(channels), height: Int64(height), width: Int64(width),
                         kernel_h: Int64(kernelH), kernel_w: Int64(kernelW), stride_h: Int64(strideH),
                         stride_w: Int64(strideW), pad_h: Int64(padH), pad_w: Int64(padW),
                         dilation_h: Int64(dilationH), dilation_w: Int64(dilationW), out_h: Int64(outHeight),
                         out_w: Int64(outWidth))
    }
}

// `Int` is 64 bits on every platform TrainKit builds for, so `[Int]` is passed to the C kernels as `int64_t *`
// without a copy.
@inline(__always)
func withInt64<R>(_ a: [Int], _ b: [Int], _ body: (UnsafePointer<Int64>, UnsafePointer<Int64>) -> R) -> R {
    a.withUnsafeBytes { pa in
        b.withUnsafeBytes { pb in body(int64Base(pa), int64Base(pb)) }
    }
}

@inline(__always)
func withInt64<R>(_ a: [Int], _ b: [Int], _ c: [Int],
                          _ body: (UnsafePointer<Int64>, UnsafePointer<Int64>, UnsafePointer<Int64>) -> R) -> R {
    withInt64(a, b) { pa, pb in
        c.withUnsafeBytes { pc in body(pa, pb, int64Base(pc)) }
    }
}

/// The elements of an `[Int]` as `int64_t *` (a valid, unread address for an empty array: rank 0 reads none).
@inline(__always)
func int64Base(_ bytes: UnsafeRawBufferPointer) -> UnsafePointer<Int64> {
    guard let base = bytes.baseAddress else { return UnsafePointer(bitPattern: MemoryLayout<Int64>.alignment)! }
    return base.assumingMemoryBound(to: Int64.self)
}

extension CPUBackend {
    /// Bytes cached in the buffer pool, and its hits and misses since the process started.
    static var poolStatistics: (cachedBytes: Int, hits: Int, misses: Int) {
        var c: Int64 = 0, h: Int64 = 0, m: Int64 = 0
        tk_pool_stats(&c, &h, &m)
        return (Int(c), Int(h), Int(m))
    }
    /// Returns every cached buffer to the system.
    static func trimPool() { tk_pool_trim() }
}
