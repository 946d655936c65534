// SPDX-License-Identifier: ISC
// Fast sigmoid and tanh on sixteen floats (AVX-512F): the approximation of dsp/fast_math.h,
// vectorised; see there for the method and the measured error. Included only by files compiled
// with -mavx512f -mavx512dq (for VREDUCEPS). Bitwise operations go through the integer forms,
// which are AVX-512F.
#ifndef LSTM_FAST_MATH_AVX512_H
#define LSTM_FAST_MATH_AVX512_H

#include "fast_math.h"

#include <immintrin.h>

// p(f) ~ 2^f for |f| <= 1/2: the polynomial of fast_exp_reduced in r = f ln2 (its coefficients
// times ln2^k), in Estrin form: three FMAs deep after f^2.
static inline __m512 fast_exp2_poly_avx512(__m512 f)
{
	__m512 f2 = _mm512_mul_ps(f, f);
	__m512 a = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP2_C3), f, _mm512_set1_ps(FAST_EXP2_C2));
	__m512 b = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP2_C5), f, _mm512_set1_ps(FAST_EXP2_C4));
	__m512 f1 = _mm512_fmadd_ps(f, _mm512_set1_ps(FAST_LN2), _mm512_set1_ps(1.0f));
	__m512 f4 = _mm512_mul_ps(f2, f2);
	__m512 lo = _mm512_fmadd_ps(f2, a, f1);
	__m512 hi = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP2_C6), f2, b);
	return _mm512_fmadd_ps(f4, hi, lo);
}

// 1 / d: the 14-bit estimate and one Newton step, about 12 cycles deep where a 512-bit division
// takes about 18 (it sits twice on the LSTM's recurrent dependency chain). Within 1 ulp.
static inline __m512 fast_recip_avx512(__m512 d)
{
	__m512 r = _mm512_rcp14_ps(d);
	return _mm512_fmadd_ps(r, _mm512_fnmadd_ps(d, r, _mm512_set1_ps(1.0f)), r);
}

// exp(-k a) = p * s for a >= 0 (or NaN), k > 0: z = -k a log2(e) (rounded: an error of
// |z| 2^-24 in the exponent, under 3e-8 in any sigmoid or tanh), f = z - round(z) by VREDUCEPS
// in one step where the round-and-subtract takes two, s = 2^(z - f) by VSCALEFPS, which goes to
// exactly 0 past float's range (infinities included: VREDUCEPS gives 0 for them) rather than
// wrapping the exponent bits, so no lane needs replacing afterwards.
static inline void fast_exp_neg_avx512(__m512 a, float k, __m512 *p, __m512 *s)
{
	__m512 z = _mm512_mul_ps(a, _mm512_set1_ps(-k * FAST_LOG2E));
	__m512 f = _mm512_reduce_ps(z, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
	*p = fast_exp2_poly_avx512(f);
	*s = _mm512_scalef_ps(_mm512_set1_ps(1.0f), _mm512_sub_ps(z, f));
}

static inline __m512 fast_abs_avx512(__m512 x)
{
	return _mm512_castsi512_ps(
		_mm512_andnot_si512(_mm512_set1_epi32((int)0x80000000u), _mm512_castps_si512(x)));
}

// sigmoid(x) = num / (1 + e) with e = exp(-|x|) <= 1 and num = 1 for x >= 0, e for x < 0 (then
// it is 1 - sigmoid(|x|)). The Newton step of the reciprocal is folded into the product:
// q = num r, q (2 - d r) = q + q (1 - d r).
static inline __m512 fast_sigmoid_avx512(__m512 x)
{
	const __m512 one = _mm512_set1_ps(1.0f);
	__m512 p, s;
	fast_exp_neg_avx512(fast_abs_avx512(x), 1.0f, &p, &s);
	__m512 d = _mm512_fmadd_ps(p, s, one);
	__m512 num =
		_mm512_mask_mul_ps(one, _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ), p, s);
	__m512 r = _mm512_rcp14_ps(d);
	__m512 q = _mm512_mul_ps(num, r);
	return _mm512_fmadd_ps(q, _mm512_fnmadd_ps(d, r, one), q);
}

// o * tanh(x) = o' (1 - e) / (1 + e) with e = exp(-2|x|) <= 1 and o' = o with x's sign.
static inline __m512 fast_mul_tanh_avx512(__m512 o, __m512 x)
{
	const __m512i sign_mask = _mm512_set1_epi32((int)0x80000000u);
	const __m512 one = _mm512_set1_ps(1.0f);
	const __m512i xi = _mm512_castps_si512(x);
	__m512 a = _mm512_castsi512_ps(_mm512_andnot_si512(sign_mask, xi));
	__m512 os = _mm512_castsi512_ps(
		_mm512_xor_si512(_mm512_castps_si512(o), _mm512_and_si512(xi, sign_mask)));
	__m512 p, s;
	fast_exp_neg_avx512(a, 2.0f, &p, &s);
	__m512 num = _mm512_fnmadd_ps(_mm512_mul_ps(os, s), p, os);
	__m512 d = _mm512_fmadd_ps(p, s, one);
	return _mm512_mul_ps(num, fast_recip_avx512(d));
}

static inline __m512 fast_tanh_avx512(__m512 x)
{
	return fast_mul_tanh_avx512(_mm512_set1_ps(1.0f), x);
}

#endif
