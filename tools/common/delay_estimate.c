// SPDX-License-Identifier: ISC
// Cross-correlation delay search with FFTW r2c/c2r transforms.
#include "delay_estimate.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

// 2^19 frames is 11 s at 48 kHz: plenty to lock onto a delay, and one FFT of 2^20 points.
#define DELAY_WINDOW (1L << 19)
#define DELAY_BLOCK 4096L

// Start of the window of length len with the most energy in x, on a grid of DELAY_BLOCK.
static long loudest_window(const float *x, int stride, long n, long len)
{
	if (len >= n)
		return 0;
	long nblocks = n / DELAY_BLOCK;
	long wblocks = len / DELAY_BLOCK;
	double *e = calloc((size_t)nblocks + 1, sizeof *e);
	if (!e)
		return 0;
	for (long b = 0; b < nblocks; ++b) {
		double s = 0.0;
		for (long t = b * DELAY_BLOCK; t < (b + 1) * DELAY_BLOCK; ++t) {
			double v = x[t * stride];
			s += v * v;
		}
		e[b] = s;
	}
	double run = 0.0, best = -1.0;
	long best_b = 0;
	for (long b = 0; b < nblocks; ++b) {
		run += e[b];
		if (b >= wblocks)
			run -= e[b - wblocks];
		if (b + 1 >= wblocks && run > best) {
			best = run;
			best_b = b + 1 - wblocks;
		}
	}
	free(e);
	return best_b * DELAY_BLOCK;
}

int delay_estimate(const float *x, int x_stride, const float *y, int y_stride, long n,
                   int max_delay, DelayEstimate *out)
{
	memset(out, 0, sizeof *out);
	if (n < 2 || !x || !y || x_stride < 1 || y_stride < 1)
		return -1;
	long len = n < DELAY_WINDOW ? n : DELAY_WINDOW;
	long start = loudest_window(x, x_stride, n, len);
	// Keep at least half of the window overlapping at every lag.
	long maxd = max_delay < 0 ? 0 : max_delay;
	if (maxd > len / 2)
		maxd = len / 2;
	long p = 1;
	while (p < len + maxd + 1)
		p <<= 1;

	int rc = -1;
	float *xa = fftwf_alloc_real((size_t)p);
	float *ya = fftwf_alloc_real((size_t)p);
	fftwf_complex *xf = fftwf_alloc_complex((size_t)(p / 2 + 1));
	fftwf_complex *yf = fftwf_alloc_complex((size_t)(p / 2 + 1));
	double *ex = malloc(((size_t)len + 1) * sizeof *ex);
	double *ey = malloc(((size_t)len + 1) * sizeof *ey);
	fftwf_plan fwd_x = NULL, fwd_y = NULL, inv = NULL;
	if (!xa || !ya || !xf || !yf || !ex || !ey)
		goto done;
	// Plans before filling: FFTW_ESTIMATE does not touch the arrays, but say so explicitly.
	fwd_x = fftwf_plan_dft_r2c_1d((int)p, xa, xf, FFTW_ESTIMATE);
	fwd_y = fftwf_plan_dft_r2c_1d((int)p, ya, yf, FFTW_ESTIMATE);
	inv = fftwf_plan_dft_c2r_1d((int)p, xf, xa, FFTW_ESTIMATE);
	if (!fwd_x || !fwd_y || !inv)
		goto done;

	double mx = 0.0, my = 0.0;
	for (long t = 0; t < len; ++t) {
		mx += x[(start + t) * x_stride];
		my += y[(start + t) * y_stride];
	}
	mx /= (double)len;
	my /= (double)len;
	ex[0] = ey[0] = 0.0;
	for (long t = 0; t < len; ++t) {
		double a = x[(start + t) * x_stride] - mx;
		double b = y[(start + t) * y_stride] - my;
		xa[t] = (float)a;
		ya[t] = (float)b;
		ex[t + 1] = ex[t] + a * a;
		ey[t + 1] = ey[t] + b * b;
	}
	for (long t = len; t < p; ++t)
		xa[t] = ya[t] = 0.0f;

	fftwf_execute(fwd_x);
	fftwf_execute(fwd_y);
	// conj(X) * Y gives sum_t x[t] y[t + k] at index k (negative k wrap to p + k).
	for (long k = 0; k < p / 2 + 1; ++k) {
		float ar = xf[k][0], ai = -xf[k][1];
		float br = yf[k][0], bi = yf[k][1];
		xf[k][0] = ar * br - ai * bi;
		xf[k][1] = ar * bi + ai * br;
	}
	fftwf_execute(inv);

	double best = 0.0;
	int best_k = 0;
	double best_r = 0.0;
	for (long k = -maxd; k <= maxd; ++k) {
		double c = xa[k >= 0 ? k : p + k] / (double)p;
		// Overlap: x[0..len-k) with y[k..len) for k >= 0; x[-k..len) with y[0..len+k) else.
		double sx = k >= 0 ? ex[len - k] : ex[len] - ex[-k];
		double sy = k >= 0 ? ey[len] - ey[k] : ey[len + k];
		double r = sx > 0.0 && sy > 0.0 ? c / sqrt(sx * sy) : 0.0;
		if (k == 0)
			out->correlation_at_zero = r;
		double a = fabs(r);
		// Prefer the smaller lag on (near) ties so that silence-padded signals stay at 0.
		if (a > best * (1.0 + 1e-9) || (a >= best * (1.0 - 1e-9) && labs(k) < labs(best_k))) {
			best = a;
			best_k = (int)k;
			best_r = r;
		}
	}
	out->delay = best_k;
	out->correlation = best_r;
	out->max_lag = (int)maxd;
	out->at_limit = maxd > 0 && labs(best_k) == maxd;
	rc = 0;
done:
	if (fwd_x)
		fftwf_destroy_plan(fwd_x);
	if (fwd_y)
		fftwf_destroy_plan(fwd_y);
	if (inv)
		fftwf_destroy_plan(inv);
	fftwf_free(xa);
	fftwf_free(ya);
	fftwf_free(xf);
	fftwf_free(yf);
	free(ex);
	free(ey);
	return rc;
}
