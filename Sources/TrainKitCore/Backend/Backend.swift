/// The primitive kernels every tensor op reaches memory through: one implementation per device kind.
///
/// A backend owns the memory of its device (`allocate`, `deallocate`, the two host copies) and runs the
/// primitives below on it. Ops above this protocol never touch elements: they compute shapes, strides and
/// dtypes, check them, and call one primitive per step. A new device is one new type conforming to this
/// protocol (see docs/adding-a-backend.md); ``CPUBackend`` (the C kernels: SIMD, threads, BLAS) and
/// ``ReferenceBackend`` (plain Swift loops, the test oracle) are the two built in.
///
/// Contracts shared by every primitive:
/// - **Addresses** are device addresses of this backend's memory (for host backends, host pointers), already
///   offset to the first element. Strides and shapes are in elements; a stride of 0 broadcasts.
/// - **Outputs** are contiguous (row-major) unless a destination stride list is given, and never overlap an
///   input unless the primitive says so (`accumulate`, the optimizer kernels update in place).
/// - **Dtypes** are dispatched with an exhaustive `switch`; a dtype a primitive does not support calls
///   ``unsupported(_:_:)`` (a named error), never another dtype's kernel.
/// - **Threads**: a primitive may use any number of threads but returns only when its outputs are written;
///   results must not depend on the thread count.
/// - **Empty**: counts may be 0; then nothing is read or written.
package protocol Backend: AnyObject, Sendable {
    /// The device this backend runs (its kind and ordinal).
    var device: Device { get }
    /// Whether host code may read and write this backend's memory directly (host pointers), which lets
    /// loaders and host-side helpers skip a staging copy. Defaults to false.
    var isHostAccessible: Bool { get }

    // MARK: Memory

    /// `byteCount` bytes (at least 1) of uninitialized device memory, 64-byte aligned.
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer
    /// Returns memory from `allocate` (with the same `byteCount`).
    func deallocate(_ address: UnsafeMutableRawPointer, byteCount: Int)
    /// Memory for a buffer that lives as long as the run (an optimizer's state): the CPU backend takes it from
    /// the system at its exact size rather than from its pool, whose cached block of a larger size class would
    /// waste its already-touched tail for the whole run (and leave the next step without the block it held).
    /// Defaults to `allocate`.
    func allocateLongLived(byteCount: Int) -> UnsafeMutableRawPointer
    /// Returns memory from `allocateLongLived`. Defaults to `deallocate`.
    func deallocateLongLived(_ address: UnsafeMutableRawPointer, byteCount: Int)
    /// Copies `byteCount` bytes from device memory to host memory.
    func copyToHost(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, byteCount: Int)
    /// Copies `byteCount` bytes from host memory to device memory.
    func copyFromHost(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, byteCount: Int)

    // MARK: Copy, fill, convert

    /// Copies `byteCount` bytes of this device's memory (`source` and `destination` do not overlap).
    func copy(byteCount: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer)

    /// Copies the strided view `source` (`shape`, `strides`) into contiguous `destination`. Element size 1, 2, 4
    /// or 8 bytes; `shape` may be empty (one element).
    func copyStrided(elementSize: Int, shape: [Int], source: UnsafeRawPointer, strides: [Int],
                     destination: UnsafeMutableRawPointer)
    /// Copies contiguous `source` into the strided view `destination` (`shape`, `strides`); the view's elements
    /// must not overlap one another.
    func copyToStrided(elementSize: Int, shape: [Int], source: UnsafeRawPointer,
                       destination: UnsafeMutableRawPointer, strides: [Int])
    /// Fills `count` elements of `elementSize` bytes with the low `elementSize` bytes of `pattern`
    /// (little-endian bit pattern of the value).
    func fill(elementSize: Int, count: Int, destination: UnsafeMutableRawPointer, pattern: UInt64)
    /// Converts `count` contiguous elements between dtypes (float → int truncates toward zero; integer → integer
    /// is exact, int64 → int32 keeping the low 32 bits; any → bool is `x != 0`; bool → number is 0 or 1).
    func convert(from: DType, to: DType, count: Int, source: UnsafeRawPointer, destination: UnsafeMutableRawPointer)
    /// `destination[i] += source[i]` over `count` contiguous float elements (in place).
    func accumulate(_ dtype: DType, count: Int, source: UnsafeRawPointer, destination: UnsafeMutableRawPointer)

    // MARK: Element-wise

    /// `out[i] = a[ia] op b[ib]` over the index space `shape` (rank ≥ 1) with per-operand strides; `out` is
    /// contiguous. Float dtypes; `op` is arithmetic (`add` … `pow`).
    func binary(_ op: BinaryOp, _ dtype: DType, shape: [Int], a: UnsafeRawPointer, aStrides: [Int],
                b: UnsafeRawPointer, bStrides: [Int], out: UnsafeMutableRawPointer)
    /// The same over `count` contiguous elements, one operand possibly a single broadcast element.
    func binaryFlat(_ op: BinaryOp, _ dtype: DType, count: Int, operands: FlatOperands, a: UnsafeRawPointer,
                    b: UnsafeRawPointer, out: UnsafeMutableRawPointer)
    /// Comparisons (`equal` … `greaterEqual`) with `binary`'s indexing into a bool (one byte, 0 or 1) output.
    func compare(_ op: BinaryOp, _ dtype: DType, shape: [Int], a: UnsafeRawPointer, aStrides: [Int],
                 b: UnsafeRawPointer, bStrides: [Int], out: UnsafeMutableRawPointer)
    /// `out[i] = f(x[i])` over `count` contiguous float elements, `f` = `op` with parameters `p0`, `p1`.
    func unary(_ op: UnaryOp, _ dtype: DType, count: Int, x: UnsafeRawPointer, out: UnsafeMutableRawPointer,
               p0: Double, p1: Double)
    /// `gx[i] = g[i] · f'(x[i])` (`y = f(x)` given where cheaper), same ops and parameters.
    func unaryBackward(_ op: UnaryOp, _ dtype: DType, count: Int, x: UnsafeRawPointer, y: UnsafeRawPointer,
                       g: UnsafeRawPointer, gx: UnsafeMutableRawPointer, p0: Double, p1: Double)
    /// `out[i] = condition[i] ? a[i] : b[i]` over `count` contiguous elements of `elementSize` bytes
    /// (`condition` bool).
    func select(elementSize: Int, count: Int, condition: UnsafeRawPointer, a: UnsafeRawPointer,
                b: UnsafeRawPointer, out: UnsafeMutableRawPointer)

    // MARK: Reductions and softmax

    /// Reduces contiguous `[outer, extent, inner]` over the middle axis into `[outer, inner]` (float dtypes).
    /// An empty `extent` gives 0 (sum), 1 (prod); max and min need `extent > 0`, and a NaN in the slice gives NaN
    /// (as `torch.amax`).
    func reduce(_ op: ReduceOp, _ dtype: DType, outer: Int, extent: Int, inner: Int, x: UnsafeRawPointer,
                out: UnsafeMutableRawPointer)
    /// Index (int64) of the first maximum (or minimum) along the middle axis of `[outer, extent, inner]`; a NaN
    /// counts as the extreme (the first NaN wins).
    func argReduce(isMin: Bool, _ dtype: DType, outer: Int, extent: Int, inner: Int, x: UnsafeRawPointer,
                   out: UnsafeMutableRawPointer)
    /// Softmax (`log`: log-softmax) over the last axis of contiguous `[rows, cols]`.
    func softmax(_ dtype: DType, rows: Int, cols: Int, x: UnsafeRawPointer, y: UnsafeMutableRawPointer, log: Bool)
    /// Its backward: softmax `gx = y·(g - Σ g·y)`; log-softmax `gx = g - exp(y)·Σ g`.
    func softmaxBackward(_ dtype: DType, rows: Int, cols: Int, y: UnsafeRawPointer, g: UnsafeRawPointer,
                         gx: UnsafeMutableRawPointer, log: Bool)

    // MARK: Matrix products

    /// `C = alpha·op(A)·op(B) + beta·C`, row-major, `op(X)` = `X` or `Xᵀ`; `op(A)` `[m, k]`, `op(B)` `[k, n]`,
    /// `C` `[m, n]` with row stride `ldc`; `lda`, `ldb` are the stored row strides. With `beta == 0`, `C` is
    /// written without being read. `k == 0` gives `beta·C`.
    func gemm(_ dtype: DType, _ p: GEMMProblem, a: UnsafeRawPointer, b: UnsafeRawPointer, c: UnsafeMutableRawPointer)
    /// `batch` independent products, operand `X_i` starting `strideX·i` elements after `X_0` (0: shared).
    func gemmBatched(_ dtype: DType, _ p: GEMMProblem, batch: Int, a: UnsafeRawPointer, strideA: Int,
                     b: UnsafeRawPointer, strideB: Int, c: UnsafeMutableRawPointer, strideC: Int)

    // MARK: Indexing

    /// `destination[o, j, i] = source[o, index[j], i]` for contiguous `source [outer, extent, inner]`,
    /// `index` int64 `[count]`, `destination [outer, count, inner]`. Returns the first index outside
    /// `0..<extent` (and writes nothing), or nil.
    func indexSelect(elementSize: Int, outer: Int, extent: Int, inner: Int, source: UnsafeRawPointer,
                     index: UnsafeRawPointer, count: Int, destination: UnsafeMutableRawPointer) -> Int?
    /// The adjoint: `destination[o, index[j], i] += source[o, j, i]` (float dtypes; `destination` already
    /// holds its starting values; repeated indices add up in order of `j`). Indices are trusted (checked by
    /// the forward).
    func indexAdd(_ dtype: DType, outer: Int, extent: Int, inner: Int, source: UnsafeRawPointer,
                  index: UnsafeRawPointer, count: Int, destination: UnsafeMutableRawPointer)
    /// `torch.gather`: for each position `p` of contiguous int64 `index` (shape `indexShape`),
    /// `destination[p] = source[p with p[dim] replaced by index[p]]` through `sourceStrides`. Returns the
    /// first index outside `0..<extent` (and writes nothing), or nil.
    func gather(elementSize: Int, indexShape: [Int], index: UnsafeRawPointer, dim: Int, extent: Int,
                source: UnsafeRawPointer, sourceStrides: [Int], destination: UnsafeMutableRawPointer) -> Int?
    /// The adjoint: `destination[p with p[dim] = index[p]] += source[p]` through `destinationStrides`
    /// (float dtypes; in order of `p`).
    func scatterAdd(_ dtype: DType, indexShape: [Int], index: UnsafeRawPointer, dim: Int,
                    source: UnsafeRawPointer, destination: UnsafeMutableRawPointer, destinationStrides: [Int])

    // MARK: Random

    /// `count` uniform values in `[low, high)` from `key`'s Philox stream (``PhiloxFill`` fixes which bits
    /// each element uses, so every backend gives the same numbers).
    func randomUniform(_ dtype: DType, count: Int, key: RandomKey, low: Double, high: Double,
                       out: UnsafeMutableRawPointer)
    /// `count` normal values (Box–Muller over `key`'s stream, as ``PhiloxFill``).
    func randomNormal(_ dtype: DType, count: Int, key: RandomKey, mean: Double, std: Double,
                      out: UnsafeMutableRawPointer)

    // MARK: Convolution and pooling

    /// `x [N, C, H, W] → cols [C·kH·kW, N·oH·oW]`,
    /// `cols[(c·kH + i)·kW + j][(n·oH + oy)·oW + ox] = x[n, c, oy·sH - pH + i·dH, ox·sW - pW + j·dW]` (0 outside).
    func im2col(_ dtype: DType, _ g: ConvolutionGeometry, x: UnsafeRawPointer, cols: UnsafeMutableRawPointer)
    /// The adjoint: `cols → x`, overlapping patches summed (every element of `x` written).
    func col2im(_ dtype: DType, _ g: ConvolutionGeometry, cols: UnsafeRawPointer, x: UnsafeMutableRawPointer)
    /// Max pooling over `batch·channels` planes: `y` the window maxima (padding is -∞), `argmax` (int32) the
    /// index `y·W + x` of the first maximum inside its plane (NaN wins, the last NaN kept), -1 for an empty
    /// window.
    func maxPool2d(_ dtype: DType, _ g: ConvolutionGeometry, x: UnsafeRawPointer, y: UnsafeMutableRawPointer,
                   argmax: UnsafeMutableRawPointer)
    /// Its backward: `gx` zero, then `gx[p, argmax[p, k]] += gy[p, k]`.
    func maxPool2dBackward(_ dtype: DType, _ g: ConvolutionGeometry, gy: UnsafeRawPointer,
                           argmax: UnsafeRawPointer, gx: UnsafeMutableRawPointer)

    // MARK: Optional fused kernels (nil: ops compose the primitives above)

    /// Convolution with bias and ReLU in one pass, and its backward.
    var fusedConvolution: (any FusedConvolutionKernels)? { get }
    /// Layer normalization over rows in one pass, and its backward.
    var fusedLayerNorm: (any FusedLayerNormKernels)? { get }
    /// The LSTM recurrence through time, and its backward.
    var fusedLSTM: (any FusedLSTMKernels)? { get }
}

extension Backend {
    package var isHostAccessible: Bool { false }
    package func allocateLongLived(byteCount: Int) -> UnsafeMutableRawPointer { allocate(byteCount: byteCount) }
    package func deallocateLongLived(_ address: UnsafeMutableRawPointer, byteCount: Int) {
        deallocate(address, byteCount: byteCount)
    }
    package var fusedConvolution: (any FusedConvolutionKernels)? { nil }
    package var fusedLayerNorm: (any FusedLayerNormKernels)? { nil }
    package var fusedLSTM: (any FusedLSTMKernels)? { nil }

    /// Stops with a named error: `op` has no kernel for `dtype` on this backend's device.
    package func unsupported(_ op: StaticString, _ dtype: DType) -> Never {
        fatalError("TrainKit: \(op) has no \(dtype) kernel on device \(device)")
    }
}

/// The shape of one GEMM: `op(A) [m, k] · op(B) [k, n]`, scaled by `alpha`, added to `beta·C`.
package struct GEMMProblem: Sendable {
    package var transA: Bool, transB: Bool
    package var m: Int, n: Int, k: Int
    package var alpha: Double, beta: Double
    package var lda: Int, ldb: Int, ldc: Int

    package init(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double = 1, beta: Double = 0,
                 lda: Int, ldb: Int, ldc: Int) {
        (self.transA, self.transB, self.m, self.n, self.k) = (transA, transB, m, n, k)
        (self.alpha, self.beta, self.lda, self.ldb, self.ldc) = (alpha, beta, lda, ldb, ldc)
    }
}
