// Portable sgemm microkernel: a 4x16 tile in plain C (the compiler vectorises it for the baseline ISA).
// Shapes: Ap is [kc][4], Bp is [kc][16], C is [4][16] with row stride ldc.
#include "tk_gemm_kernels.h"

enum { MR = 4, NR = 16 };

static void sgemm_4x16_generic(int64_t kc, const float *restrict a, const float *restrict b, float *restrict c,
                               int64_t ldc, float alpha, float beta) {
    float acc[MR][NR] = {{0}};
    for (int64_t k = 0; k < kc; k++) {
        for (int i = 0; i < MR; i++) {
            float ai = a[i];
            for (int j = 0; j < NR; j++) acc[i][j] += ai * b[j];
        }
        a += MR;
        b += NR;
    }
    for (int i = 0; i < MR; i++) {
        float *row = c + i * ldc;
        if (beta == 0.0f) {
            for (int j = 0; j < NR; j++) row[j] = alpha * acc[i][j];
        } else {
            for (int j = 0; j < NR; j++) row[j] = alpha * acc[i][j] + beta * row[j];
        }
    }
}

static const tk_sgemm_kernel_t generic_kernel = {
    .name = "generic 4x16", .mr = MR, .nr = NR, .mc = 128, .kc = 256, .nc = 2048, .kernel = sgemm_4x16_generic,
};

const tk_sgemm_kernel_t *tk_sgemm_kernel_generic(void) { return &generic_kernel; }
