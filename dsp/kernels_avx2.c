// SPDX-License-Identifier: ISC
// AVX2 + FMA kernels: the shared vector kernel body (kernels_simd.h) on eight floats a vector.
// Compiled with -mavx2 -mfma; only called after lstm_isa_supported(LSTM_ISA_AVX2).
#include "fast_math_avx2.h"
#include "net_layout.h"

#include <immintrin.h>

static inline float hsum_avx2(__m256 v)
{
	__m128 a = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
	a = _mm_add_ps(a, _mm_movehl_ps(a, a));
	a = _mm_add_ss(a, _mm_movehdup_ps(a));
	return _mm_cvtss_f32(a);
}

#define VEC __m256
#define VW 8
// Two partial sums: with four gate vectors that is eight accumulators, half the register file.
#define KP 2
#define V_PS(op) _mm256_##op##_ps
#define V_FAST(fn) fast_##fn##_avx2
#define V_BCAST(p) _mm256_broadcast_ss(p)
#define V_LANE(v, j) _mm256_permutevar8x32_ps((v), _mm256_set1_epi32(j))
#define V_HSUM(v) hsum_avx2(v)
#define KS_KERNELS kernels_avx2

#include "kernels_simd.h"
