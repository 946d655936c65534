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
#define V_LOAD(p) _mm256_load_ps(p)
#define V_STORE(p, v) _mm256_store_ps((p), (v))
#define V_SET1(f) _mm256_set1_ps(f)
#define V_ZERO() _mm256_setzero_ps()
#define V_BCAST(p) _mm256_broadcast_ss(p)
#define V_LANE(v, j) _mm256_permutevar8x32_ps((v), _mm256_set1_epi32(j))
#define V_FMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define V_ADD(a, b) _mm256_add_ps((a), (b))
#define V_SUB(a, b) _mm256_sub_ps((a), (b))
#define V_MUL(a, b) _mm256_mul_ps((a), (b))
#define V_MAX(a, b) _mm256_max_ps((a), (b))
#define V_HSUM(v) hsum_avx2(v)
#define V_SIG_FAST(v) fast_sigmoid_avx2(v)
#define V_TANH_FAST(v) fast_tanh_avx2(v)

#include "kernels_simd.h"

const KernelSet *kernels_avx2(LstmActivations act)
{
	return act == LSTM_ACT_FAST ? &ks_fast_set : &ks_exact_set;
}
