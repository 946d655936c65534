// SPDX-License-Identifier: ISC
// Fast sigmoid and tanh, one float at a time: the same approximation the SIMD kernels compute
// eight or sixteen at a time (dsp/fast_math_avx2.h, dsp/fast_math_avx512.h), so that the scalar
// fast path and the vector fast paths agree to within a few units in the last place.
//
// exp(y): y = n ln2 + r with n = round(y / ln2), |r| <= ln2/2; exp(r) ~ 1 + r + r^2 q(r) with q
// of degree 4 (near-minimax, relative error 3e-9 in float64; coefficients from
// tests/engine/fit_fast_math.py), evaluated in Estrin form for a short dependency chain;
// 2^n is built in the exponent bits. The scalar code splits ln2 in two (Cody-Waite) because it
// has no fused multiply-add; the vector code uses one FMA with ln2 rounded to float.
//
// sigmoid(x) = 1 / (1 + exp(-x)); exactly 1 above 87 and 0 below -87 (errors under 2e-38).
// tanh(x) = x + x^3 p(x^2) (p of degree 4) for |x| < 0.625, which keeps a small relative error
// near 0; else sign(x) (1 - e) / (1 + e) with e = exp(-2|x|); exactly +-1 beyond |x| = 9
// (tanh(9) = 1 - 3e-8). The vector code computes every branch and selects, so the saturation
// tests sit beside the arithmetic rather than in front of it (a shorter dependency chain).
// NaN in gives NaN out: every comparison that selects another branch is false for NaN.
//
// Measured maximum absolute error against float64 libm over a sweep of the whole float range
// (tests/engine/test_fast_math.c, which asserts FAST_MATH_MAX_ABS_ERR):
//   scalar and AVX2: sigmoid 8.9e-8, tanh 9.8e-8; AVX-512: sigmoid 9.0e-8, tanh 1.2e-7 (it takes
//   reciprocals by a 14-bit estimate and a Newton step, shorter than a 512-bit division);
//   tanh relative error for 0 < |x| < 0.625: 8.1e-8. Vector and scalar differ by <= 1.8e-7.
// For comparison, rounding the exact result to float alone costs up to 6e-8 near 1.
#ifndef LSTM_FAST_MATH_H
#define LSTM_FAST_MATH_H

#include <stdint.h>
#include <string.h>

// The bound the test asserts for every implementation.
#define FAST_MATH_MAX_ABS_ERR 2e-7

#define FAST_LOG2E 1.44269504088896341f
#define FAST_LN2 0.693147180559945309f
#define FAST_LN2_HI 0.693359375f         // 9 significant bits: n * FAST_LN2_HI is exact
#define FAST_LN2_LO (-2.12194440e-4f)    // ln2 - FAST_LN2_HI
#define FAST_ROUND_MAGIC 12582912.0f     // 1.5 * 2^23: adding it rounds to an integer
#define FAST_SIG_CLAMP 87.0f
#define FAST_TANH_CLAMP 9.0f
#define FAST_TANH_SMALL 0.625f
#define FAST_EXP_C2 0.49999994f
#define FAST_EXP_C3 0.16666521f
#define FAST_EXP_C4 0.04166839f
#define FAST_EXP_C5 0.00836871f
#define FAST_EXP_C6 0.0013814616f
#define FAST_TANH_P0 (-0.3333328f)
#define FAST_TANH_P1 0.13331442f
#define FAST_TANH_P2 (-0.05373971f)
#define FAST_TANH_P3 0.020639075f
#define FAST_TANH_P4 (-0.005704974f)

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
	float a = x < 0.0f ? -x : x;
	if (a < FAST_TANH_SMALL) {
		float x2 = x * x;
		float x4 = x2 * x2;
		float p = (FAST_TANH_P0 + FAST_TANH_P1 * x2)
		          + x4 * ((FAST_TANH_P2 + FAST_TANH_P3 * x2) + FAST_TANH_P4 * x4);
		return x + (x * x2) * p;
	}
	float t = 1.0f;
	if (!(a > FAST_TANH_CLAMP)) { // NaN goes this way
		float e = fast_exp_reduced(-2.0f * a);
		t = (1.0f - e) / (1.0f + e);
	}
	return fast_bits_float(fast_float_bits(t) | (fast_float_bits(x) & 0x80000000u));
}

#endif
