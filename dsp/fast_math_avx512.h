// SPDX-License-Identifier: ISC
// Fast sigmoid and tanh on sixteen floats (AVX-512F): the approximation of dsp/fast_math.h,
// vectorised; see there for the method and the measured error. Included only by files compiled
// with -mavx512f.
#ifndef LSTM_FAST_MATH_AVX512_H
#define LSTM_FAST_MATH_AVX512_H

#include "fast_math.h"

#include <immintrin.h>

// p(r) ~ exp(r) for |r| <= ln2/2, in Estrin form: depth 4 FMAs instead of 6.
static inline __m512 fast_exp_poly_avx512(__m512 r)
{
	__m512 r2 = _mm512_mul_ps(r, r);
	__m512 a = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP_C3), r, _mm512_set1_ps(FAST_EXP_C2));
	__m512 b = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP_C5), r, _mm512_set1_ps(FAST_EXP_C4));
	__m512 r1 = _mm512_add_ps(r, _mm512_set1_ps(1.0f));
	b = _mm512_fmadd_ps(_mm512_set1_ps(FAST_EXP_C6), r2, b);
	__m512 q = _mm512_fmadd_ps(r2, b, a);
	return _mm512_fmadd_ps(r2, q, r1);
}

// 2^n from t = n + FAST_ROUND_MAGIC: n sits in the low mantissa bits of t.
static inline __m512 fast_pow2_avx512(__m512 t)
{
	__m512i e = _mm512_slli_epi32(_mm512_castps_si512(t), 23);
	return _mm512_castsi512_ps(_mm512_add_epi32(e, _mm512_set1_epi32(0x3f800000)));
}

// exp(sign * y) for |y| <= 87; sign is +1 or -1 folded into the constants.
static inline __m512 fast_exp_avx512(__m512 y, float sign)
{
	const __m512 magic = _mm512_set1_ps(FAST_ROUND_MAGIC);
	__m512 t = _mm512_fmadd_ps(y, _mm512_set1_ps(sign * FAST_LOG2E), magic);
	__m512 n = _mm512_sub_ps(t, magic);
	// sign * y - n ln2
	__m512 r = sign > 0.0f ? _mm512_fnmadd_ps(n, _mm512_set1_ps(FAST_LN2), y)
	                       : _mm512_fnmsub_ps(n, _mm512_set1_ps(FAST_LN2), y);
	return _mm512_mul_ps(fast_exp_poly_avx512(r), fast_pow2_avx512(t));
}

static inline __m512 fast_sigmoid_avx512(__m512 x)
{
	// MAXPS/MINPS return their second operand when either is NaN: x goes second.
	x = _mm512_max_ps(_mm512_set1_ps(-FAST_SIG_CLAMP), x);
	x = _mm512_min_ps(_mm512_set1_ps(FAST_SIG_CLAMP), x);
	const __m512 one = _mm512_set1_ps(1.0f);
	return _mm512_div_ps(one, _mm512_add_ps(one, fast_exp_avx512(x, -1.0f)));
}

static inline __m512 fast_tanh_avx512(__m512 x)
{
	// AVX-512F has the bitwise operations on integers only (the float ones are AVX-512DQ).
	const __m512i sign_mask = _mm512_set1_epi32((int)0x80000000u);
	const __m512 one = _mm512_set1_ps(1.0f);
	const __m512i xi = _mm512_castps_si512(x);
	__m512 a = _mm512_castsi512_ps(_mm512_andnot_si512(sign_mask, xi));

	__m512 x2 = _mm512_mul_ps(x, x);
	__m512 x4 = _mm512_mul_ps(x2, x2);
	__m512 x3 = _mm512_mul_ps(x, x2);
	__m512 p01 = _mm512_fmadd_ps(_mm512_set1_ps(FAST_TANH_P1), x2, _mm512_set1_ps(FAST_TANH_P0));
	__m512 p23 = _mm512_fmadd_ps(_mm512_set1_ps(FAST_TANH_P3), x2, _mm512_set1_ps(FAST_TANH_P2));
	__m512 p = _mm512_fmadd_ps(x4, _mm512_fmadd_ps(_mm512_set1_ps(FAST_TANH_P4), x4, p23), p01);
	__m512 small = _mm512_fmadd_ps(x3, p, x);

	__m512 ac = _mm512_min_ps(_mm512_set1_ps(FAST_TANH_CLAMP), a);
	__m512 e = fast_exp_avx512(_mm512_add_ps(ac, ac), 1.0f);
	__m512 q = _mm512_div_ps(_mm512_set1_ps(2.0f), _mm512_add_ps(one, e));
	__m512i bigi = _mm512_or_si512(_mm512_castps_si512(_mm512_sub_ps(one, q)),
	                               _mm512_and_si512(xi, sign_mask));

	__mmask16 is_small = _mm512_cmp_ps_mask(a, _mm512_set1_ps(FAST_TANH_SMALL), _CMP_LT_OQ);
	return _mm512_mask_blend_ps(is_small, _mm512_castsi512_ps(bigi), small);
}

#endif
