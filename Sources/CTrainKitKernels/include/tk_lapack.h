// LAPACK (double precision, LP64) through the BLAS found at run time (lapack_loader.c).
#ifndef TK_LAPACK_H
#define TK_LAPACK_H

/// Returned by every call below when no LAPACK is loaded (the caller uses its built-in routine).
#define TK_LAPACK_UNAVAILABLE (-100000)

/// 1 when LAPACK routines were found: in the loaded BLAS (OpenBLAS ships them) or, failing that, in
/// liblapack.so.3. `TRAINKIT_BLAS=none` or `TRAINKIT_LAPACK=none` disables them.
int tk_lapack_available(void);
/// "openblas ...", "liblapack.so.3" or "none".
const char *tk_lapack_name(void);

// All matrices are column-major and overwritten as LAPACK documents. The return value is LAPACK's `info`
// (0 = success, < 0 = bad argument, > 0 = the routine's failure code) or TK_LAPACK_UNAVAILABLE.

/// Symmetric eigen-decomposition (dsyevd, jobz 'V', uplo 'L'): `a` [n, n] becomes the eigenvectors (columns),
/// `w` [n] the eigenvalues in ascending order.
int tk_lapack_dsyevd(int n, double *a, double *w);
/// Thin SVD (dgesdd, jobz 'S') of `a` [m, n] (destroyed): `s` [min], `u` [m, min], `vt` [min, n].
int tk_lapack_dgesdd(int m, int n, double *a, double *s, double *u, double *vt);
/// Cholesky (dpotrf, uplo 'U'): the upper triangle of `a` [n, n] becomes U with A = UᵀU (the lower one is
/// left as it was). info > 0: the leading minor of that order is not positive definite.
int tk_lapack_dpotrf_upper(int n, double *a);
/// Householder QR (dgeqrf then dorgqr) of `a` [m, n], m >= n: `a` becomes Q [m, n], `r` [n, n] the upper
/// triangular factor.
int tk_lapack_dqr(int m, int n, double *a, double *r);
/// The triangular factor only of a Householder QR (dgeqrf) of `a` [m, n], m >= n (destroyed): `r` [n, n]
/// upper triangular, `A = Q R` (Q is not formed).
int tk_lapack_dqr_r(int m, int n, double *a, double *r);
/// The same in float32 (sgeqrf), for float32 data; TK_LAPACK_UNAVAILABLE when the library has no sgeqrf.
int tk_lapack_sqr_r(int m, int n, float *a, float *r);
/// LU solve (dgesv): `a` [n, n] becomes its LU factors, `b` [n, nrhs] the solution. info > 0: U(info, info)
/// is exactly zero (singular).
int tk_lapack_dgesv(int n, int nrhs, double *a, double *b);

#endif
