// SPDX-License-Identifier: ISC
// Checks the fast sigmoid and tanh (scalar, AVX2, AVX-512) against float64 libm over a sweep of
// the whole float range: a dense grid where the functions bend, and a stride through every bit
// pattern (subnormals, huge values, infinities and NaNs included). Asserts the bound documented
// in dsp/fast_math.h (FAST_MATH_MAX_ABS_ERR), a tighter absolute bound for tanh near 0, that NaN
// in gives NaN out, and that the vector paths agree closely with the scalar one.
#undef NDEBUG
#include "fast_math.h"
#include "fast_math_probe.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*ProbeFn)(const float *x, float *sig, float *th, size_t n);

typedef struct {
	float *x;
	size_t n;
} Sweep;

static void sweep_add(Sweep *s, float v, size_t cap)
{
	assert(s->n < cap);
	s->x[s->n++] = v;
}

// The inputs: a fine grid on [-20, 20], a bit-pattern stride over all floats, special values.
static Sweep sweep_make(void)
{
	const size_t cap = 5u << 20;
	Sweep s = {malloc(cap * sizeof(float)), 0};
	assert(s.x);
	for (int k = -2000000; k <= 2000000; k++)
		sweep_add(&s, (float)k * 1e-5f, cap);
	for (uint64_t u = 0; u < (1ull << 32); u += 7919)
		sweep_add(&s, fast_bits_float((uint32_t)u), cap);
	const float specials[] = {
		0.0f,           -0.0f,    1e-45f,    -1e-45f,    1e-40f,      -1e-40f, 1.17549435e-38f,
		1e-30f,         -1e-20f,  1e-8f,     -1e-8f,     0.625f,      -0.625f, 9.0f,
		-9.0f,          43.5f,    -43.5f,    43.500004f, -43.500004f, 87.0f,   -87.0f,
		88.7f,          -88.7f,   89.0f,     -104.0f,    1e30f,       -1e30f,  3.4028235e38f,
		-3.4028235e38f, INFINITY, -INFINITY, NAN,        -NAN,
	};
	for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++)
		sweep_add(&s, specials[k], cap);
	while (s.n % 16)
		sweep_add(&s, 0.5f, cap);
	return s;
}

// tanh(x) for |x| < TANH_SMALL: its absolute error must stay below TANH_SMALL_MAX_ABS_ERR.
#define TANH_SMALL 1e-3
#define TANH_SMALL_MAX_ABS_ERR 8e-8

typedef struct {
	double sig_abs, tanh_abs, tanh_abs_small;
} Errors;

static Errors check(const char *name, const Sweep *s, const float *sig, const float *th)
{
	Errors e = {0, 0, 0};
	for (size_t k = 0; k < s->n; k++) {
		const float x = s->x[k];
		if (isnan(x)) {
			if (!isnan(sig[k]) || !isnan(th[k])) {
				fprintf(stderr, "%s: NaN in gave sigmoid %g, tanh %g\n", name, (double)sig[k],
				        (double)th[k]);
				exit(1);
			}
			continue;
		}
		const double ref_sig = 1.0 / (1.0 + exp(-(double)x));
		const double ref_tanh = tanh((double)x);
		const double es = fabs((double)sig[k] - ref_sig);
		const double et = fabs((double)th[k] - ref_tanh);
		if (!(es <= e.sig_abs))
			e.sig_abs = es; // NaN output lands here and fails below
		if (!(et <= e.tanh_abs))
			e.tanh_abs = et;
		if (fabs(x) < TANH_SMALL && !(et <= e.tanh_abs_small))
			e.tanh_abs_small = et;
		if (!(es <= FAST_MATH_MAX_ABS_ERR) || !(et <= FAST_MATH_MAX_ABS_ERR)) {
			fprintf(stderr, "%s: x = %.9g: sigmoid %.9g (want %.9g), tanh %.9g (want %.9g)\n", name,
			        (double)x, (double)sig[k], ref_sig, (double)th[k], ref_tanh);
			exit(1);
		}
	}
	printf("%-8s max abs error: sigmoid %.3g, tanh %.3g; tanh below |x| = %g: %.3g\n", name,
	       e.sig_abs, e.tanh_abs, TANH_SMALL, e.tanh_abs_small);
	// Small values (a cell state near rest) must not be lost in the rounding of 1 - e: tanh's
	// error there stays well below rounding's at 1.
	assert(e.tanh_abs_small <= TANH_SMALL_MAX_ABS_ERR);
	return e;
}

static void probe_scalar(const float *x, float *sig, float *th, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		sig[k] = fast_sigmoid(x[k]);
		th[k] = fast_tanh(x[k]);
	}
}

static void test_implementation(const char *name, ProbeFn fn, const Sweep *s, const float *sig0,
                                const float *th0)
{
	float *sig = malloc(s->n * sizeof(float));
	float *th = malloc(s->n * sizeof(float));
	assert(sig && th);
	fn(s->x, sig, th, s->n);
	check(name, s, sig, th);
	if (sig0) {
		// Same formula, FMA or not: within a few units in the last place of the scalar result.
		double d = 0.0;
		for (size_t k = 0; k < s->n; k++) {
			if (isnan(s->x[k]))
				continue;
			d = fmax(d, fabs((double)sig[k] - (double)sig0[k]));
			d = fmax(d, fabs((double)th[k] - (double)th0[k]));
		}
		printf("%-8s max difference from scalar fast: %.3g\n", name, d);
		assert(d <= 3e-7);
	}
	free(sig);
	free(th);
}

static void test_saturation(void)
{
	assert(fast_sigmoid(INFINITY) == 1.0f);
	assert(fast_sigmoid(-INFINITY) < 1e-37f);
	assert(fast_sigmoid(0.0f) == 0.5f);
	assert(fast_tanh(INFINITY) == 1.0f);
	assert(fast_tanh(-INFINITY) == -1.0f);
	assert(fast_tanh(43.500004f) == 1.0f);
	assert(fast_tanh(-43.500004f) == -1.0f);
	assert(fast_tanh(0.0f) == 0.0f);
	assert(fabsf(fast_tanh(1e-40f)) <= 1e-40f);
}

int main(void)
{
	Sweep s = sweep_make();
	printf("%zu inputs\n", s.n);
	float *sig0 = malloc(s.n * sizeof(float));
	float *th0 = malloc(s.n * sizeof(float));
	assert(sig0 && th0);
	test_saturation();
	probe_scalar(s.x, sig0, th0, s.n);
	test_implementation("scalar", probe_scalar, &s, NULL, NULL);
#ifdef TEST_HAVE_X86_SIMD
	if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
		test_implementation("avx2", probe_fast_avx2, &s, sig0, th0);
	else
		printf("avx2: not supported here, skipped\n");
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
		test_implementation("avx512", probe_fast_avx512, &s, sig0, th0);
	else
		printf("avx512: not supported here, skipped\n");
#endif
	free(sig0);
	free(th0);
	free(s.x);
	return 0;
}
