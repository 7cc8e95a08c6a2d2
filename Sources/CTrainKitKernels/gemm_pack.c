// Packing for the built-in GEMM: copies a block of A or B into the micro-panel layout the microkernels read,
// [kc][w] (for each step k, w consecutive values), zero-padding lanes count..w-1.
//
// Two source shapes occur: `count` source rows each contiguous in k (A as stored, Bᵀ) need a transpose
// (tk_pack_interleave); `kc` source rows each holding the `count` values of one step (Aᵀ, B as stored) are
// plain copies (tk_pack_copy). The AVX2 transpose handles 8x8 blocks with register shuffles.
#include "tk_gemm_kernels.h"
#include "tk_internal.h"

#include <string.h>

static void interleave_generic(const float *src, int64_t ld, int64_t count, int64_t kc, int w, float *dst) {
    for (int64_t r = 0; r < count; r++) {
        const float *row = src + r * ld;
        for (int64_t k = 0; k < kc; k++) dst[k * w + r] = row[k];
    }
    for (int64_t r = count; r < w; r++)
        for (int64_t k = 0; k < kc; k++) dst[k * w + r] = 0.0f;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/// dst[k*w + r] = src[r*ld + k] for 8x8 blocks, rows >= count read as zero; tail steps fall back to C.
__attribute__((target("avx2"))) static void interleave_avx2(const float *src, int64_t ld, int64_t count,
                                                             int64_t kc, int w, float *dst) {
    int64_t k0 = 0;
    for (; k0 + 8 <= kc; k0 += 8) {
        for (int r0 = 0; r0 < w; r0 += 8) {
            __m256 v[8];
            for (int i = 0; i < 8; i++)
                v[i] = r0 + i < count ? _mm256_loadu_ps(src + (r0 + i) * ld + k0) : _mm256_setzero_ps();
            __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
            __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
            __m256 t4 = _mm256_unpacklo_ps(v[4], v[5]), t5 = _mm256_unpackhi_ps(v[4], v[5]);
            __m256 t6 = _mm256_unpacklo_ps(v[6], v[7]), t7 = _mm256_unpackhi_ps(v[6], v[7]);
            __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            __m256 o[8] = {
                _mm256_permute2f128_ps(s0, s4, 0x20), _mm256_permute2f128_ps(s1, s5, 0x20),
                _mm256_permute2f128_ps(s2, s6, 0x20), _mm256_permute2f128_ps(s3, s7, 0x20),
                _mm256_permute2f128_ps(s0, s4, 0x31), _mm256_permute2f128_ps(s1, s5, 0x31),
                _mm256_permute2f128_ps(s2, s6, 0x31), _mm256_permute2f128_ps(s3, s7, 0x31),
            };
            int lanes = w - r0 < 8 ? w - r0 : 8;
            float *out = dst + k0 * w + r0;
            if (lanes == 8) {
                for (int i = 0; i < 8; i++) _mm256_storeu_ps(out + i * w, o[i]);
            } else if (lanes >= 4) {
                for (int i = 0; i < 8; i++) {
                    _mm_storeu_ps(out + i * w, _mm256_castps256_ps128(o[i]));
                    float hi[4];
                    _mm_storeu_ps(hi, _mm256_extractf128_ps(o[i], 1));
                    for (int l = 4; l < lanes; l++) out[i * w + l] = hi[l - 4];
                }
            } else {
                for (int i = 0; i < 8; i++) {
                    float lo[8];
                    _mm256_storeu_ps(lo, o[i]);
                    for (int l = 0; l < lanes; l++) out[i * w + l] = lo[l];
                }
            }
        }
    }
    if (k0 < kc) interleave_generic(src + k0, ld, count, kc - k0, w, dst + k0 * w);
}
#endif

void tk_pack_interleave(const float *src, int64_t ld, int64_t count, int64_t kc, int w, float *dst) {
#if defined(__x86_64__) || defined(__i386__)
    if (tk_simd_level_id() >= TK_SIMD_AVX2) {
        interleave_avx2(src, ld, count, kc, w, dst);
        return;
    }
#endif
    interleave_generic(src, ld, count, kc, w, dst);
}

void tk_pack_copy(const float *src, int64_t ld, int64_t count, int64_t kc, int w, float *dst) {
    if (count == w && w == 32) {
        for (int64_t k = 0; k < kc; k++) memcpy(dst + k * 32, src + k * ld, 32 * sizeof(float));
    } else if (count == w && w == 16) {
        for (int64_t k = 0; k < kc; k++) memcpy(dst + k * 16, src + k * ld, 16 * sizeof(float));
    } else {
        for (int64_t k = 0; k < kc; k++) {
            const float *row = src + k * ld;
            float *out = dst + k * w;
            int64_t r = 0;
            for (; r < count; r++) out[r] = row[r];
            for (; r < w; r++) out[r] = 0.0f;
        }
    }
}
