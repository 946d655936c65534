// SPDX-License-Identifier: ISC
// Fast sigmoid and tanh on eight floats (AVX2 + FMA): the approximation of dsp/fast_math.h,
// vectorised; see there for the method and the measured error. Included only by files compiled
// with -mavx2 -mfma.
#ifndef LSTM_FAST_MATH_AVX2_H
#define LSTM_FAST_MATH_AVX2_H

#include "fast_math.h"

#include <immintrin.h>

// p(r) ~ exp(r) for |r| <= ln2/2, in Estrin form: depth 4 FMAs instead of 6.
static inline __m256 fast_exp_poly_avx2(__m256 r)
{
	__m256 r2 = _mm256_mul_ps(r, r);
	__m256 a = _mm256_fmadd_ps(_mm256_set1_ps(FAST_EXP_C3), r, _mm256_set1_ps(FAST_EXP_C2));
	__m256 b = _mm256_fmadd_ps(_mm256_set1_ps(FAST_EXP_C5), r, _mm256_set1_ps(FAST_EXP_C4));
	__m256 r1 = _mm256_add_ps(r, _mm256_set1_ps(1.0f));
	b = _mm256_fmadd_ps(_mm256_set1_ps(FAST_EXP_C6), r2, b);
	__m256 q = _mm256_fmadd_ps(r2, b, a);
	return _mm256_fmadd_ps(r2, q, r1);
}

// 2^n from t = n + FAST_ROUND_MAGIC: n sits in the low mantissa bits of t.
static inline __m256 fast_pow2_avx2(__m256 t)
{
	__m256i e = _mm256_slli_epi32(_mm256_castps_si256(t), 23);
	return _mm256_castsi256_ps(_mm256_add_epi32(e, _mm256_set1_epi32(0x3f800000)));
}

// exp(sign * y) for |y| <= 87; sign is +1 or -1 folded into the constants.
static inline __m256 fast_exp_avx2(__m256 y, float sign)
{
	const __m256 magic = _mm256_set1_ps(FAST_ROUND_MAGIC);
	__m256 t = _mm256_fmadd_ps(y, _mm256_set1_ps(sign * FAST_LOG2E), magic);
	__m256 n = _mm256_sub_ps(t, magic);
	// sign * y - n ln2
	__m256 r = sign > 0.0f ? _mm256_fnmadd_ps(n, _mm256_set1_ps(FAST_LN2), y)
	                       : _mm256_fnmsub_ps(n, _mm256_set1_ps(FAST_LN2), y);
	return _mm256_mul_ps(fast_exp_poly_avx2(r), fast_pow2_avx2(t));
}

static inline __m256 fast_sigmoid_avx2(__m256 x)
{
	// MAXPS/MINPS return their second operand when either is NaN: x goes second.
	x = _mm256_max_ps(_mm256_set1_ps(-FAST_SIG_CLAMP), x);
	x = _mm256_min_ps(_mm256_set1_ps(FAST_SIG_CLAMP), x);
	const __m256 one = _mm256_set1_ps(1.0f);
	return _mm256_div_ps(one, _mm256_add_ps(one, fast_exp_avx2(x, -1.0f)));
}

static inline __m256 fast_tanh_avx2(__m256 x)
{
	const __m256 sign_mask = _mm256_set1_ps(-0.0f);
	const __m256 one = _mm256_set1_ps(1.0f);
	__m256 a = _mm256_andnot_ps(sign_mask, x);

	__m256 x2 = _mm256_mul_ps(x, x);
	__m256 x4 = _mm256_mul_ps(x2, x2);
	__m256 x3 = _mm256_mul_ps(x, x2);
	__m256 p01 = _mm256_fmadd_ps(_mm256_set1_ps(FAST_TANH_P1), x2, _mm256_set1_ps(FAST_TANH_P0));
	__m256 p23 = _mm256_fmadd_ps(_mm256_set1_ps(FAST_TANH_P3), x2, _mm256_set1_ps(FAST_TANH_P2));
	__m256 p = _mm256_fmadd_ps(x4, _mm256_fmadd_ps(_mm256_set1_ps(FAST_TANH_P4), x4, p23), p01);
	__m256 small = _mm256_fmadd_ps(x3, p, x);

	__m256 ac = _mm256_min_ps(_mm256_set1_ps(FAST_TANH_CLAMP), a);
	__m256 e = fast_exp_avx2(_mm256_add_ps(ac, ac), 1.0f);
	__m256 q = _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(one, e));
	__m256 big = _mm256_or_ps(_mm256_sub_ps(one, q), _mm256_and_ps(x, sign_mask));

	__m256 is_small = _mm256_cmp_ps(a, _mm256_set1_ps(FAST_TANH_SMALL), _CMP_LT_OQ);
	return _mm256_blendv_ps(big, small, is_small);
}

#endif
