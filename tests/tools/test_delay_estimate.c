// SPDX-License-Identifier: ISC
// delay_estimate: finds known shifts (positive, negative, zero, at the search limit) of a
// nonlinear, filtered copy of a noise signal, with the sign of the correlation telling an
// inverted copy apart, on short signals and on one longer than the search window.
#undef NDEBUG
#include "delay_estimate.h"
#include "tools_test_util.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

// y[t] = sign * (tanh(3 x[t - d]) lowpassed) + a little independent noise; zero before the start.
static void make_pair(float *x, float *y, long n, int d, float sign, unsigned seed)
{
	unsigned s2 = seed * 31u + 5u;
	for (long t = 0; t < n; ++t)
		x[t] = 0.5f * tt_noise(&seed);
	float lp = 0.0f;
	for (long t = 0; t < n; ++t) {
		long u = t - d;
		float v = u >= 0 && u < n ? tanhf(3.0f * x[u]) : 0.0f;
		lp += 0.5f * (v - lp);
		y[t] = sign * lp + 0.01f * tt_noise(&s2);
	}
}

static void expect(long n, int d, float sign, int max_delay, int want, int limit)
{
	float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
	assert(x && y);
	make_pair(x, y, n, d, sign, 1234u + (unsigned)d);
	DelayEstimate de;
	assert(delay_estimate(x, 1, y, 1, n, max_delay, &de) == 0);
	if (de.delay != want || (de.correlation < 0) != (sign < 0) || de.at_limit != limit) {
		fprintf(stderr, "n %ld shift %d sign %g: got delay %d corr %.3f limit %d, want %d\n", n, d,
		        sign, de.delay, de.correlation, de.at_limit, want);
		assert(0);
	}
	assert(fabs(de.correlation) > 0.5 && fabs(de.correlation) <= 1.0 + 1e-6);
	free(x);
	free(y);
}

static void test_known_shifts(void)
{
	static const int shifts[] = {0, 1, 7, 12, 100, 2047, -1, -5, -300};
	for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; ++i) {
		expect(20000, shifts[i], 1.0f, 4800, shifts[i], 0);
		expect(20000, shifts[i], -1.0f, 4800, shifts[i], 0);
	}
}

static void test_search_limit(void)
{
	// A shift beyond the range cannot be found; whatever lag wins is flagged as maybe wrong
	// only when it sits on the limit, so check the in-range edge case instead.
	expect(20000, 64, 1.0f, 64, 64, 1);
	expect(20000, -64, -1.0f, 64, -64, 1);
}

// Longer than the 2^19 search window: the loud burst sits near the end.
static void test_long_signal_window(void)
{
	long n = 700000;
	float *x = calloc((size_t)n, sizeof *x), *y = calloc((size_t)n, sizeof *y);
	assert(x && y);
	unsigned seed = 99;
	for (long t = 600000; t < 650000; ++t)
		x[t] = 0.5f * tt_noise(&seed);
	for (long t = 33; t < n; ++t)
		y[t] = -0.7f * x[t - 33];
	DelayEstimate de;
	assert(delay_estimate(x, 1, y, 1, n, 4800, &de) == 0);
	assert(de.delay == 33);
	assert(de.correlation < -0.99 && de.correlation_at_delay < -0.99);
	free(x);
	free(y);
}

// Strides: x is channel 0 of a two-channel buffer.
static void test_stride(void)
{
	long n = 8000;
	float *x2 = malloc((size_t)n * 2 * sizeof *x2), *y = malloc((size_t)n * sizeof *y);
	float *x = malloc((size_t)n * sizeof *x);
	assert(x2 && y && x);
	make_pair(x, y, n, 21, 1.0f, 5u);
	for (long t = 0; t < n; ++t) {
		x2[2 * t] = x[t];
		x2[2 * t + 1] = 0.5f;
	}
	DelayEstimate de;
	assert(delay_estimate(x2, 2, y, 1, n, 4800, &de) == 0);
	assert(de.delay == 21 && de.correlation > 0.5);
	assert(delay_estimate(x2, 2, y, 1, 1, 4800, &de) == -1);
	free(x2);
	free(y);
	free(x);
}

// A device whose tone filter has a long group delay but no latency: the lag found stays under
// the 8 samples below which capture_pair leaves a pair alone, where the plain correlation
// peak drifts with the filter.
static void test_filter_group_delay(void)
{
	long n = 48000;
	float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
	assert(x && y);
	unsigned seed = 17;
	float lp1 = 0.0f, lp2 = 0.0f;
	for (long t = 0; t < n; ++t) {
		x[t] = 0.5f * tt_noise(&seed);
		// Two poles near 300 Hz at 48 kHz: the impulse response peaks 24 samples late, which is
		// where a plain cross-correlation puts the "delay".
		lp1 += 0.04f * (tanhf(4.0f * x[t]) - lp1);
		lp2 += 0.04f * (lp1 - lp2);
		y[t] = lp2;
	}
	DelayEstimate de;
	assert(delay_estimate(x, 1, y, 1, n, 4800, &de) == 0);
	if (!(abs(de.delay) < 8 && de.correlation > 0.0)) {
		fprintf(stderr, "group delay: got %d (corr %.3f)\n", de.delay, de.correlation);
		assert(0);
	}
	// The same with 40 samples of latency on top is found as 40, give or take the filter.
	for (long t = n - 1; t >= 40; --t)
		y[t] = y[t - 40];
	for (long t = 0; t < 40; ++t)
		y[t] = 0.0f;
	assert(delay_estimate(x, 1, y, 1, n, 4800, &de) == 0);
	if (!(de.delay >= 36 && de.delay < 48)) {
		fprintf(stderr, "group delay + 40: got %d\n", de.delay);
		assert(0);
	}
	free(x);
	free(y);
}

// A long test tone in the loudest place would make one stretch ambiguous (any whole period
// fits); the stretches spread over the rest of the signal pin the lag down.
static void test_periodic_material(void)
{
	long n = 10 * 65536;
	float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
	assert(x && y);
	unsigned seed = 23;
	for (long t = 0; t < n; ++t)
		x[t] = t < 2 * 65536 ? 0.9f * sinf(2.0f * 3.14159265f * 110.0f * (float)t / 48000.0f)
		                     : 0.2f * tt_noise(&seed);
	for (long t = 0; t < n; ++t)
		y[t] = t >= 25 ? tanhf(2.0f * x[t - 25]) : 0.0f;
	DelayEstimate de;
	assert(delay_estimate(x, 1, y, 1, n, 4800, &de) == 0);
	assert(de.delay == 25 && de.correlation > 0.5);
	free(x);
	free(y);
}

// A fractional shift, both signs: y is x delayed by d through a Hann-windowed sinc (a true
// fractional delay), so the fine estimate must land within a tenth of a sample, with the
// whole-sample estimate one of the two neighbours.
static void test_fractional_shifts(void)
{
	static const double shifts[] = {2.5, 2.25, 40.75, -1.5, -1.25, -0.5, 0.3};
	enum { HALF = 32 };
	const long n = 40000;
	float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
	assert(x && y);
	for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; ++i) {
		unsigned seed = 77u + (unsigned)i;
		for (long t = 0; t < n; ++t)
			x[t] = 0.5f * tt_noise(&seed);
		const double d = shifts[i];
		for (long t = 0; t < n; ++t) {
			double acc = 0.0;
			const long c = (long)floor(t - d);
			for (long u = c - HALF; u <= c + HALF; ++u) {
				if (u < 0 || u >= n)
					continue;
				const double a = (double)t - d - (double)u; // distance from the ideal point
				const double pa = 3.14159265358979323846 * a;
				const double sinc = fabs(a) < 1e-12 ? 1.0 : sin(pa) / pa;
				const double win = 0.5 + 0.5 * cos(pa / (HALF + 1));
				acc += x[u] * sinc * win;
			}
			y[t] = (float)acc;
		}
		DelayEstimate de;
		assert(delay_estimate(x, 1, y, 1, n, 4800, &de) == 0);
		if (fabs(de.delay_fine - d) > 0.1 || fabs(de.delay - d) > 1.0 || de.correlation < 0.5) {
			fprintf(stderr, "fractional shift %.2f: got %.3f (whole %d, corr %.3f)\n", d,
			        de.delay_fine, de.delay, de.correlation);
			assert(0);
		}
	}
	free(x);
	free(y);
}

// A response that rises through a lobe of one sign before its largest, opposite one (as a
// preamp's does): the peak is the larger lobe, the onset the earlier one, and an early lobe
// under half the peak (pre-ringing, a little leakage) does not count.
static void test_onset(void)
{
	const long n = 40000;
	float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
	assert(x && y);
	unsigned seed = 99u;
	for (long t = 0; t < n; ++t)
		x[t] = 0.5f * tt_noise(&seed);
	for (long t = 0; t < n; ++t) {
		double v = 0.0;
		if (t >= 10)
			v += 0.2 * x[t - 10]; // a quiet early lobe: ignored
		if (t >= 20)
			v += 0.7 * x[t - 20];
		if (t >= 30)
			v -= 1.0 * x[t - 30];
		y[t] = (float)v;
	}
	DelayEstimate de;
	assert(delay_estimate(x, 1, y, 1, n, 4800, &de) == 0);
	// The polarity is the sign at the delay: the response's largest lobe is inverted.
	if (de.delay != 30 || de.onset != 20 || de.correlation > -0.5
	    || de.correlation_at_delay > -0.5) {
		fprintf(stderr, "onset: got delay %d onset %d corr %.3f\n", de.delay, de.onset,
		        de.correlation);
		assert(0);
	}
	free(x);
	free(y);
}

int main(void)
{
	test_onset();
	test_fractional_shifts();
	test_known_shifts();
	test_search_limit();
	test_long_signal_window();
	test_stride();
	test_filter_group_delay();
	test_periodic_material();
	return 0;
}
