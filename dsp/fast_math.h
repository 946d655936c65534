// SPDX-License-Identifier: ISC
// Fast sigmoid and tanh, one float at a time: the same approximation the SIMD kernels compute
// eight or sixteen at a time (dsp/fast_math_avx2.h, dsp/fast_math_avx512.h), so that the scalar
// fast path and the vector fast paths agree to within a few units in the last place.
//
// exp(y): y = n ln2 + r with n = round(y / ln2), |r| <= ln2/2; exp(r) ~ 1 + r + r^2 q(r) with q
// of degree 4 (near-minimax, relative error 3e-9 in float64; coefficients from
// tests/dsp/fit_fast_math.py), evaluated in Estrin form for a short dependency chain;
// 2^n is built in the exponent bits. The scalar code splits ln2 in two (Cody-Waite) because it
// has no fused multiply-add; the vector code uses one FMA with ln2 rounded to float.
//
// sigmoid(x) = 1 / (1 + exp(-x)); exactly 1 above 87 and 0 below -87 (errors under 2e-38).
// tanh(x) = (1 - e) / (1 + e) with e = exp(-2x) for every x: one exponential and one division
// with no branch on the size of x, the same dependency chain as the sigmoid; exactly +-1 beyond
// |x| = 43.5 (where 2|x| leaves the exponential's range). Near 0 its error is absolute (about
// 6e-8 below |x| = 1e-3), not relative to tanh(x): the engine needs absolute accuracy only.
// The LSTM kernels compute o * tanh(c) as o (1 - e) / (1 + e) in one piece. The vector code
// computes the arithmetic for every lane and replaces saturated lanes with one select at the
// end, so the range tests sit beside the arithmetic rather than in front of it.
// NaN in gives NaN out: every comparison that selects another branch is false for NaN.
//
// Measured maximum absolute error against float64 libm over a sweep of the whole float range
// (tests/dsp/test_fast_math.c, which asserts FAST_MATH_MAX_ABS_ERR):
//   scalar: sigmoid 8.9e-8, tanh 1.3e-7; AVX2: sigmoid 8.9e-8, tanh 1.3e-7; AVX-512:
//   sigmoid 9.8e-8, tanh 1.4e-7 (it takes reciprocals by a 14-bit estimate and a Newton
//   step, shorter than a 512-bit division). Vector and scalar differ by <= 2.4e-7 (FMA or
//   not, each rounds (1 - e) / (1 + e) its own way). Below |x| = 1e-3 tanh is within 5.9e-8.
// For comparison, rounding the exact result to float alone costs up to 6e-8 near 1.
#ifndef LSTM_FAST_MATH_H
#define LSTM_FAST_MATH_H

#include <stdint.h>
#include <string.h>

// The bound the test asserts for every implementation.
#define FAST_MATH_MAX_ABS_ERR 2e-7

#define FAST_LOG2E 1.44269504088896341f
#define FAST_LN2 0.693147180559945309f
#define FAST_LN2_HI 0.693359375f      // 9 significant bits: n * FAST_LN2_HI is exact
#define FAST_LN2_LO (-2.12194440e-4f) // ln2 - FAST_LN2_HI
#define FAST_ROUND_MAGIC 12582912.0f  // 1.5 * 2^23: adding it rounds to an integer
#define FAST_SIG_CLAMP 87.0f
// The same polynomial in f = r / ln2 (2^f = exp(r)), for the AVX-512 code: FAST_EXP_Ck ln2^k
// (also printed by tests/dsp/fit_fast_math.py).
#define FAST_EXP2_C2 0.24022648f
#define FAST_EXP2_C3 0.055503625f
#define FAST_EXP2_C4 0.009618526f
#define FAST_EXP2_C5 0.0013390161f
#define FAST_EXP2_C6 0.00015321159f
#define FAST_TANH_CLAMP 43.5f // 2 * FAST_TANH_CLAMP = FAST_SIG_CLAMP
#define FAST_EXP_C2 0.49999994f
#define FAST_EXP_C3 0.16666521f
#define FAST_EXP_C4 0.04166839f
#define FAST_EXP_C5 0.00836871f
#define FAST_EXP_C6 0.0013814616f

static inline uint32_t fast_float_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static inline float fast_bits_float(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

// exp(y) for |y| <= 87 (or NaN).
static inline float fast_exp_reduced(float y)
{
	float t = y * FAST_LOG2E + FAST_ROUND_MAGIC;
	float n = t - FAST_ROUND_MAGIC;
	float r = (y - n * FAST_LN2_HI) - n * FAST_LN2_LO;
	float s = fast_bits_float((fast_float_bits(t) << 23) + 0x3f800000u); // 2^n
	float r2 = r * r;
	float r4 = r2 * r2;
	float lo = (1.0f + r) + r2 * (FAST_EXP_C2 + FAST_EXP_C3 * r);
	float hi = (FAST_EXP_C4 + FAST_EXP_C5 * r) + FAST_EXP_C6 * r2;
	return (lo + r4 * hi) * s;
}

static inline float fast_sigmoid(float x)
{
	if (x > FAST_SIG_CLAMP)
		return 1.0f;
	if (x < -FAST_SIG_CLAMP)
		return 0.0f;
	return 1.0f / (1.0f + fast_exp_reduced(-x));
}

static inline float fast_tanh(float x)
{
	const float a = x < 0.0f ? -x : x;
	if (a > FAST_TANH_CLAMP)
		return x > 0.0f ? 1.0f : -1.0f;
	const float e = fast_exp_reduced(-2.0f * x); // NaN goes this way
	return (1.0f - e) / (1.0f + e);
}

#endif
