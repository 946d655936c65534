// SPDX-License-Identifier: ISC
// Fast sigmoid and tanh on sixteen floats (AVX-512F): the approximation of dsp/fast_math.h,
// vectorised; see there for the method and the measured error. Included only by files compiled
// with -mavx512f. (AVX-512F has bitwise operations on integers only: the float ones are DQ.)
#ifndef LSTM_FAST_MATH_AVX512_H
#define LSTM_FAST_MATH_AVX512_H

#include "fast_math.h"

#include <immintrin.h>

// p(r) ~ exp(r) for |r| <= ln2/2, in Estrin form: three FMAs deep after r^2.
static inline __m512 fast_exp_poly_avx512(__m512 r)
{
	__m512 r2 = _mm512_mul_ps(r, r);
	__m512 a = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP_C3), r, _mm512_set1_ps(FAST_EXP_C2));
	__m512 b = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP_C5), r, _mm512_set1_ps(FAST_EXP_C4));
	__m512 r1 = _mm512_add_ps(r, _mm512_set1_ps(1.0f));
	__m512 r4 = _mm512_mul_ps(r2, r2);
	__m512 lo = _mm512_fmadd_ps(r2, a, r1);
	__m512 hi = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP_C6), r2, b);
	return _mm512_fmadd_ps(r4, hi, lo);
}

// 1 / d: the 14-bit estimate and one Newton step, about 12 cycles deep where a 512-bit division
// takes about 18 (it sits twice on the LSTM's recurrent dependency chain). Within 1 ulp.
static inline __m512 fast_recip_avx512(__m512 d)
{
	__m512 r = _mm512_rcp14_ps(d);
	return _mm512_fmadd_ps(r, _mm512_fnmadd_ps(d, r, _mm512_set1_ps(1.0f)), r);
}

// 2^n from t = n + FAST_ROUND_MAGIC: n sits in the low mantissa bits of t.
static inline __m512 fast_pow2_avx512(__m512 t)
{
	__m512i e = _mm512_slli_epi32(_mm512_castps_si512(t), 23);
	return _mm512_castsi512_ps(_mm512_add_epi32(e, _mm512_set1_epi32(0x3f800000)));
}

// exp(-k * y) = p * s for |k y| <= 87, k > 0; k folded into the constants (ky is k * y).
static inline void fast_exp_parts_avx512(__m512 y, float k, __m512 ky, __m512 *p, __m512 *s)
{
	const __m512 magic = _mm512_set1_ps(FAST_ROUND_MAGIC);
	__m512 t = _mm512_fmadd_ps(y, _mm512_set1_ps(-k * FAST_LOG2E), magic);
	__m512 n = _mm512_sub_ps(t, magic);
	__m512 r = _mm512_fnmsub_ps(n, _mm512_set1_ps(FAST_LN2), ky); // -ky - n ln2
	*p = fast_exp_poly_avx512(r);
	*s = fast_pow2_avx512(t);
}

static inline __m512 fast_sigmoid_avx512(__m512 x)
{
	const __m512 one = _mm512_set1_ps(1.0f);
	__m512 p, s;
	// exp(-x) for all x; lanes outside [-87, 87] are replaced at the end.
	fast_exp_parts_avx512(x, 1.0f, x, &p, &s);
	__m512 y = fast_recip_avx512(_mm512_fmadd_ps(p, s, one));
	__mmask16 hi = _mm512_cmp_ps_mask(x, _mm512_set1_ps(FAST_SIG_CLAMP), _CMP_GT_OQ);
	__mmask16 lo = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-FAST_SIG_CLAMP), _CMP_LT_OQ);
	y = _mm512_mask_mov_ps(y, lo, _mm512_setzero_ps());
	return _mm512_mask_mov_ps(y, hi, one);
}

static inline __m512 fast_tanh_avx512(__m512 x)
{
	const __m512i sign_mask = _mm512_set1_epi32((int)0x80000000u);
	const __m512 one = _mm512_set1_ps(1.0f);
	const __m512i xi = _mm512_castps_si512(x);
	__m512 a = _mm512_castsi512_ps(_mm512_andnot_si512(sign_mask, xi));
	__m512i sign = _mm512_and_si512(xi, sign_mask);

	__m512 x2 = _mm512_mul_ps(x, x);
	__m512 x4 = _mm512_mul_ps(x2, x2);
	__m512 x3 = _mm512_mul_ps(x, x2);
	__m512 p01 = _mm512_fmadd_ps(_mm512_set1_ps(FAST_TANH_P1), x2, _mm512_set1_ps(FAST_TANH_P0));
	__m512 p23 = _mm512_fmadd_ps(_mm512_set1_ps(FAST_TANH_P3), x2, _mm512_set1_ps(FAST_TANH_P2));
	__m512 p = _mm512_fmadd_ps(x4, _mm512_fmadd_ps(_mm512_set1_ps(FAST_TANH_P4), x4, p23), p01);
	__m512 small = _mm512_fmadd_ps(x3, p, x);

	// e = exp(-2|x|) = pe * se; (1 - e) / (1 + e) straight from the parts.
	__m512 pe, se;
	fast_exp_parts_avx512(a, 2.0f, _mm512_add_ps(a, a), &pe, &se);
	__m512 big = _mm512_mul_ps(_mm512_fnmadd_ps(pe, se, one),
	                           fast_recip_avx512(_mm512_fmadd_ps(pe, se, one)));
	big = _mm512_mask_mov_ps(big, _mm512_cmp_ps_mask(a, _mm512_set1_ps(FAST_TANH_CLAMP), _CMP_GT_OQ),
	                         one);
	big = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(big), sign));

	__mmask16 is_small = _mm512_cmp_ps_mask(a, _mm512_set1_ps(FAST_TANH_SMALL), _CMP_LT_OQ);
	return _mm512_mask_mov_ps(big, is_small, small);
}

#endif
