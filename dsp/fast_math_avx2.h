// SPDX-License-Identifier: ISC
// Fast sigmoid and tanh on eight floats (AVX2 + FMA): the approximation of dsp/fast_math.h,
// vectorised; see there for the method and the measured error. Included only by files compiled
// with -mavx2 -mfma.
#ifndef LSTM_FAST_MATH_AVX2_H
#define LSTM_FAST_MATH_AVX2_H

#include "fast_math.h"

#include <immintrin.h>

// m ? a : b, lane by lane (m all ones or all zeros): two cycles, where BLENDVPS takes three.
static inline __m256 fast_select_avx2(__m256 m, __m256 a, __m256 b)
{
	return _mm256_or_ps(_mm256_and_ps(m, a), _mm256_andnot_ps(m, b));
}

// p(r) ~ exp(r) for |r| <= ln2/2, in Estrin form: three FMAs deep after r^2.
static inline __m256 fast_exp_poly_avx2(__m256 r)
{
	__m256 r2 = _mm256_mul_ps(r, r);
	__m256 a = _mm256_fmadd_ps(_mm256_set1_ps(FAST_EXP_C3), r, _mm256_set1_ps(FAST_EXP_C2));
	__m256 b = _mm256_fmadd_ps(_mm256_set1_ps(FAST_EXP_C5), r, _mm256_set1_ps(FAST_EXP_C4));
	__m256 r1 = _mm256_add_ps(r, _mm256_set1_ps(1.0f));
	__m256 r4 = _mm256_mul_ps(r2, r2);
	__m256 lo = _mm256_fmadd_ps(r2, a, r1);
	__m256 hi = _mm256_fmadd_ps(_mm256_set1_ps(FAST_EXP_C6), r2, b);
	return _mm256_fmadd_ps(r4, hi, lo);
}

// 2^n from t = n + FAST_ROUND_MAGIC: n sits in the low mantissa bits of t.
static inline __m256 fast_pow2_avx2(__m256 t)
{
	__m256i e = _mm256_slli_epi32(_mm256_castps_si256(t), 23);
	return _mm256_castsi256_ps(_mm256_add_epi32(e, _mm256_set1_epi32(0x3f800000)));
}

// exp(-k * y) = p * s for |k y| <= 87, k > 0; k folded into the constants (ky is k * y).
static inline void fast_exp_parts_avx2(__m256 y, float k, __m256 ky, __m256 *p, __m256 *s)
{
	const __m256 magic = _mm256_set1_ps(FAST_ROUND_MAGIC);
	__m256 t = _mm256_fmadd_ps(y, _mm256_set1_ps(-k * FAST_LOG2E), magic);
	__m256 n = _mm256_sub_ps(t, magic);
	__m256 r = _mm256_fnmsub_ps(n, _mm256_set1_ps(FAST_LN2), ky); // -ky - n ln2
	*p = fast_exp_poly_avx2(r);
	*s = fast_pow2_avx2(t);
}

static inline __m256 fast_sigmoid_avx2(__m256 x)
{
	const __m256 one = _mm256_set1_ps(1.0f);
	__m256 p, s;
	// exp(-x) for all x; lanes outside [-87, 87] are replaced at the end.
	fast_exp_parts_avx2(x, 1.0f, x, &p, &s);
	__m256 y = _mm256_div_ps(one, _mm256_fmadd_ps(p, s, one));
	__m256 sat = _mm256_cmp_ps(_mm256_andnot_ps(_mm256_set1_ps(-0.0f), x),
	                           _mm256_set1_ps(FAST_SIG_CLAMP), _CMP_GT_OQ);
	__m256 sat_y = _mm256_and_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ), one);
	return fast_select_avx2(sat, sat_y, y);
}

// o * tanh(x) = o (1 - e) / (1 + e) with e = exp(-2x) = p s: one division, and o's product
// rides on the numerator, which is ready before the denominator's division starts.
static inline __m256 fast_mul_tanh_avx2(__m256 o, __m256 x)
{
	const __m256 sign_mask = _mm256_set1_ps(-0.0f);
	const __m256 one = _mm256_set1_ps(1.0f);
	__m256 p, s;
	fast_exp_parts_avx2(x, 2.0f, _mm256_add_ps(x, x), &p, &s);
	__m256 num = _mm256_fnmadd_ps(_mm256_mul_ps(o, s), p, o);
	__m256 y = _mm256_div_ps(num, _mm256_fmadd_ps(p, s, one));
	// |x| > 43.5: o with the sign of x.
	__m256 sat =
		_mm256_cmp_ps(_mm256_andnot_ps(sign_mask, x), _mm256_set1_ps(FAST_TANH_CLAMP), _CMP_GT_OQ);
	__m256 sat_y = _mm256_xor_ps(o, _mm256_and_ps(x, sign_mask));
	return fast_select_avx2(sat, sat_y, y);
}

static inline __m256 fast_tanh_avx2(__m256 x)
{
	return fast_mul_tanh_avx2(_mm256_set1_ps(1.0f), x);
}

#endif
