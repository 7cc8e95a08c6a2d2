// LAPACK entry points resolved with dlsym, from the BLAS that blas_loader.c opened (OpenBLAS exports the
// LAPACK routines too) or, when that one has none, from liblapack.so.3. Only the LP64 (32-bit integer)
// Fortran interface is used; an ILP64 BLAS leaves LAPACK unavailable and the built-in routines run.
// Fortran calling convention: every argument by pointer, one hidden length per character argument.
#include "tk_lapack.h"
#include "tk_blas.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*dsyevd_fn)(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
                          double *work, const int *lwork, int *iwork, const int *liwork, int *info, size_t,
                          size_t);
typedef void (*dgesdd_fn)(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
                          double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork,
                          int *iwork, int *info, size_t);
typedef void (*dpotrf_fn)(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t);
typedef void (*dgeqrf_fn)(const int *m, const int *n, double *a, const int *lda, double *tau, double *work,
                          const int *lwork, int *info);
typedef void (*sgeqrf_fn)(const int *m, const int *n, float *a, const int *lda, float *tau, float *work,
                          const int *lwork, int *info);
typedef void (*dorgqr_fn)(const int *m, const int *n, const int *k, double *a, const int *lda, const double *tau,
                          double *work, const int *lwork, int *info);
typedef void (*dgesv_fn)(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b,
                         const int *ldb, int *info);

static struct {
    dsyevd_fn dsyevd;
    dgesdd_fn dgesdd;
    dpotrf_fn dpotrf;
    dgeqrf_fn dgeqrf;
    sgeqrf_fn sgeqrf;  // optional: float32 data's QR; absent, callers take the float64 path
    dorgqr_fn dorgqr;
    dgesv_fn dgesv;
    char name[160];
    int available;
} lapack;

static pthread_once_t lapack_once = PTHREAD_ONCE_INIT;

static int resolve(void *handle) {
    if (handle == NULL) return 0;
    lapack.dsyevd = (dsyevd_fn)dlsym(handle, "dsyevd_");
    lapack.dgesdd = (dgesdd_fn)dlsym(handle, "dgesdd_");
    lapack.dpotrf = (dpotrf_fn)dlsym(handle, "dpotrf_");
    lapack.dgeqrf = (dgeqrf_fn)dlsym(handle, "dgeqrf_");
    lapack.dorgqr = (dorgqr_fn)dlsym(handle, "dorgqr_");
    lapack.sgeqrf = (sgeqrf_fn)dlsym(handle, "sgeqrf_");
    lapack.dgesv = (dgesv_fn)dlsym(handle, "dgesv_");
    return lapack.dsyevd && lapack.dgesdd && lapack.dpotrf && lapack.dgeqrf && lapack.dorgqr && lapack.dgesv;
}

static void load_lapack(void) {
    snprintf(lapack.name, sizeof lapack.name, "none");
    const char *env = getenv("TRAINKIT_LAPACK");
    if (env != NULL && strcmp(env, "none") == 0) return;
    const tk_blas_t *blas = tk_blas_current();
    if (blas->handle == NULL) return;  // TRAINKIT_BLAS=none or no BLAS: the built-in routines
    if (blas->sgemm != NULL && resolve(blas->handle)) {
        snprintf(lapack.name, sizeof lapack.name, "%s", blas->name);
        lapack.available = 1;
        return;
    }
    if (blas->sgemm == NULL) return;  // ILP64: its LAPACK has 64-bit integers, not used
    void *handle = dlopen("liblapack.so.3", RTLD_NOW | RTLD_LOCAL);
    if (resolve(handle)) {
        snprintf(lapack.name, sizeof lapack.name, "liblapack.so.3");
        lapack.available = 1;
    }
}

int tk_lapack_available(void) {
    pthread_once(&lapack_once, load_lapack);
    return lapack.available;
}

const char *tk_lapack_name(void) {
    pthread_once(&lapack_once, load_lapack);
    return lapack.name;
}

int tk_lapack_dsyevd(int n, double *a, double *w) {
    if (!tk_lapack_available()) return TK_LAPACK_UNAVAILABLE;
    int lda = n > 1 ? n : 1, lwork = -1, liwork = -1, info = 0, iwork_query = 0;
    double work_query = 0;
    lapack.dsyevd("V", "L", &n, a, &lda, w, &work_query, &lwork, &iwork_query, &liwork, &info, 1, 1);
    if (info != 0) return info;
    lwork = (int)work_query + 1;
    liwork = iwork_query > 1 ? iwork_query : 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    int *iwork = malloc(sizeof(int) * (size_t)liwork);
    if (work == NULL || iwork == NULL) {
        free(work); free(iwork);
        return TK_LAPACK_UNAVAILABLE;
    }
    lapack.dsyevd("V", "L", &n, a, &lda, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    free(work); free(iwork);
    return info;
}

int tk_lapack_dgesdd(int m, int n, double *a, double *s, double *u, double *vt) {
    if (!tk_lapack_available()) return TK_LAPACK_UNAVAILABLE;
    int k = m < n ? m : n;
    int lda = m > 1 ? m : 1, ldu = m > 1 ? m : 1, ldvt = k > 1 ? k : 1, lwork = -1, info = 0;
    double work_query = 0;
    int *iwork = malloc(sizeof(int) * (size_t)(8 * (k > 0 ? k : 1)));
    if (iwork == NULL) return TK_LAPACK_UNAVAILABLE;
    lapack.dgesdd("S", &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, &work_query, &lwork, iwork, &info, 1);
    if (info != 0) { free(iwork); return info; }
    lwork = (int)work_query + 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (work == NULL) { free(iwork); return TK_LAPACK_UNAVAILABLE; }
    lapack.dgesdd("S", &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info, 1);
    free(work); free(iwork);
    return info;
}

int tk_lapack_dpotrf_upper(int n, double *a) {
    if (!tk_lapack_available()) return TK_LAPACK_UNAVAILABLE;
    int lda = n > 1 ? n : 1, info = 0;
    lapack.dpotrf("U", &n, a, &lda, &info, 1);
    return info;
}

int tk_lapack_dqr(int m, int n, double *a, double *r) {
    if (!tk_lapack_available()) return TK_LAPACK_UNAVAILABLE;
    int lda = m > 1 ? m : 1, lwork = -1, info = 0;
    double *tau = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (tau == NULL) return TK_LAPACK_UNAVAILABLE;
    double query = 0;
    lapack.dgeqrf(&m, &n, a, &lda, tau, &query, &lwork, &info);
    double query2 = 0;
    if (info == 0) lapack.dorgqr(&m, &n, &n, a, &lda, tau, &query2, &lwork, &info);
    if (info != 0) { free(tau); return info; }
    lwork = (int)(query > query2 ? query : query2) + 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (work == NULL) { free(tau); return TK_LAPACK_UNAVAILABLE; }
    lapack.dgeqrf(&m, &n, a, &lda, tau, work, &lwork, &info);
    if (info == 0) {
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) r[i + (size_t)j * n] = i <= j ? a[i + (size_t)j * lda] : 0.0;
        lapack.dorgqr(&m, &n, &n, a, &lda, tau, work, &lwork, &info);
    }
    free(work); free(tau);
    return info;
}

int tk_lapack_dqr_r(int m, int n, double *a, double *r) {
    if (!tk_lapack_available()) return TK_LAPACK_UNAVAILABLE;
    int lda = m > 1 ? m : 1, lwork = -1, info = 0;
    double *tau = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (tau == NULL) return TK_LAPACK_UNAVAILABLE;
    double query = 0;
    lapack.dgeqrf(&m, &n, a, &lda, tau, &query, &lwork, &info);
    if (info != 0) { free(tau); return info; }
    lwork = (int)query + 1;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    if (work == NULL) { free(tau); return TK_LAPACK_UNAVAILABLE; }
    lapack.dgeqrf(&m, &n, a, &lda, tau, work, &lwork, &info);
    if (info == 0)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) r[i + (size_t)j * n] = i <= j ? a[i + (size_t)j * lda] : 0.0;
    free(work); free(tau);
    return info;
}

int tk_lapack_sqr_r(int m, int n, float *a, float *r) {
    if (!tk_lapack_available() || lapack.sgeqrf == NULL) return TK_LAPACK_UNAVAILABLE;
    int lda = m > 1 ? m : 1, lwork = -1, info = 0;
    float *tau = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    if (tau == NULL) return TK_LAPACK_UNAVAILABLE;
    float query = 0;
    lapack.sgeqrf(&m, &n, a, &lda, tau, &query, &lwork, &info);
    if (info != 0) { free(tau); return info; }
    lwork = (int)query + 1;
    float *work = malloc(sizeof(float) * (size_t)lwork);
    if (work == NULL) { free(tau); return TK_LAPACK_UNAVAILABLE; }
    lapack.sgeqrf(&m, &n, a, &lda, tau, work, &lwork, &info);
    if (info == 0)
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) r[i + (size_t)j * n] = i <= j ? a[i + (size_t)j * lda] : 0.0f;
    free(work); free(tau);
    return info;
}

int tk_lapack_dgesv(int n, int nrhs, double *a, double *b) {
    if (!tk_lapack_available()) return TK_LAPACK_UNAVAILABLE;
    int lda = n > 1 ? n : 1, ldb = n > 1 ? n : 1, info = 0;
    int *ipiv = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    if (ipiv == NULL) return TK_LAPACK_UNAVAILABLE;
    lapack.dgesv(&n, &nrhs, a, &lda, ipiv, b, &ldb, &info);
    free(ipiv);
    return info;
}
