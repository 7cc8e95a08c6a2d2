/// Plain-Swift twins of the C kernels in `CTrainKitKernels`: readable loops that the fast paths are tested
/// against (STYLE.md Rule 3). Other reference kernels extend this enum in their own files.
enum ReferenceKernels {}

extension ReferenceKernels {
    /// `C = alpha · op(A) · op(B) + beta · C`, the twin of `tk_sgemm`: row-major, `op(X)` is `X` or `Xᵀ`.
    ///
    /// Shapes: `op(A)` is `[M, K]`, `op(B)` is `[K, N]`, `C` is `[M, N]`; `lda`, `ldb`, `ldc` are row strides in
    /// elements (`A` holds `[M, lda]` or, transposed, `[K, lda]`). Each dot product is summed in `Double` in
    /// order of `k`, so the result is at least as accurate as the kernel's. When `beta == 0`, `C` is written
    /// without being read (NaNs in it are overwritten), as in BLAS.
    static func sgemm(
        transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float, A: [Float], lda: Int,
        B: [Float], ldb: Int, beta: Float, C: inout [Float], ldc: Int
    ) {
        for i in 0..<M {
            for j in 0..<N {
                var sum = 0.0
                for p in 0..<K {
                    let a = transA ? A[p * lda + i] : A[i * lda + p]
                    let b = transB ? B[j * ldb + p] : B[p * ldb + j]
                    sum += Double(a) * Double(b)
                }
                let scaled = Double(alpha) * sum
                C[i * ldc + j] = beta == 0 ? Float(scaled) : Float(scaled + Double(beta) * Double(C[i * ldc + j]))
            }
        }
    }

    /// `C = alpha · op(A) · op(B) + beta · C` in float64, the twin of `tk_dgemm` (same shapes and rules as
    /// `sgemm`; sums in `Double`).
    static func dgemm(
        transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Double, A: [Double], lda: Int,
        B: [Double], ldb: Int, beta: Double, C: inout [Double], ldc: Int
    ) {
        for i in 0..<M {
            for j in 0..<N {
                var sum = 0.0
                for p in 0..<K {
                    let a = transA ? A[p * lda + i] : A[i * lda + p]
                    let b = transB ? B[j * ldb + p] : B[p * ldb + j]
                    sum += a * b
                }
                C[i * ldc + j] = beta == 0 ? alpha * sum : alpha * sum + beta * C[i * ldc + j]
            }
        }
    }
}
