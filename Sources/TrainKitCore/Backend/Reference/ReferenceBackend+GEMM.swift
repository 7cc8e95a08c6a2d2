// Matrix products: the twins of `tk_sgemm`, `tk_dgemm` and `tk_sgemm_batched` (`CTrainKitKernels/gemm_*.c`).

extension ReferenceBackend {
    /// `C = alpha·op(A)·op(B) + beta·C`, row-major; `op(A)` `[m, k]`, `op(B)` `[k, n]`, `C` `[m, n]` with row
    /// strides `lda`, `ldb`, `ldc` (`A` stored `[m, lda]`, or `[k, lda]` when transposed). Each dot product is
    /// summed in `Double` in order of `k` and rounded once, so the result is at least as accurate as a fast
    /// kernel's. With `beta == 0`, `C` is written without being read (NaNs in it are overwritten), as in BLAS.
    package func gemm(_ dtype: DType, _ p: GEMMProblem, a: UnsafeRawPointer, b: UnsafeRawPointer,
                      c: UnsafeMutableRawPointer) {
        func run<T: ReferenceFloat>(_: T.Type) {
            let A = a.elements(T.self), B = b.elements(T.self), C = c.elements(T.self)
            let alpha = Double(T(p.alpha)), beta = Double(T(p.beta))  // the element type's scalars
            for i in 0..<p.m {
                for j in 0..<p.n {
                    var dot = 0.0
                    for q in 0..<p.k {
                        let x = p.transA ? A[q * p.lda + i] : A[i * p.lda + q]
                        let y = p.transB ? B[j * p.ldb + q] : B[q * p.ldb + j]
                        dot += Double(x) * Double(y)
                    }
                    let scaled = alpha * dot
                    C[i * p.ldc + j] = T(beta == 0 ? scaled : scaled + beta * Double(C[i * p.ldc + j]))
                }
            }
        }
        withReferenceFloat(dtype, "gemm", on: self) { run($0) }
    }

    /// `batch` products, operand `X_i` starting `strideX·i` elements after `X_0` (stride 0: shared).
    package func gemmBatched(_ dtype: DType, _ p: GEMMProblem, batch: Int, a: UnsafeRawPointer, strideA: Int,
                             b: UnsafeRawPointer, strideB: Int, c: UnsafeMutableRawPointer, strideC: Int) {
        let size = dtype.byteSize
        for i in 0..<batch {
            gemm(dtype, p, a: a + i * strideA * size, b: b + i * strideB * size, c: c + i * strideC * size)
        }
    }
}
