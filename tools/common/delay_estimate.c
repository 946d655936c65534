// SPDX-License-Identifier: ISC
// Delay search: GCC with partial PHAT weighting over several stretches (FFTW r2c/c2r), then the
// plain normalised correlation at the lag found.
#include "delay_estimate.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DELAY_STRETCH (1L << 16)
#define DELAY_MAX_STRETCHES 32
// |X Y|^-0.8: most of the whitening of full PHAT, without letting empty bins dominate.
#define DELAY_PHAT_BETA 0.8
// Stretches more than 50 dB below the loudest hold too little to help.
#define DELAY_QUIET_RATIO 1e-5
#define DELAY_PI 3.14159265358979323846

// Picks the stretches to use: fills start[] and returns how many.
static int pick_stretches(const float *x, int stride, long n, long len, long *start)
{
	long count = n / len;
	if (count <= 1) {
		start[0] = 0;
		return 1;
	}
	double *e = malloc((size_t)count * sizeof *e);
	long *ok = malloc((size_t)count * sizeof *ok);
	if (!e || !ok) {
		free(e);
		free(ok);
		start[0] = 0;
		return 1;
	}
	double emax = 0.0;
	for (long w = 0; w < count; ++w) {
		double s = 0.0;
		for (long t = w * len; t < (w + 1) * len; ++t) {
			double v = x[t * stride];
			s += v * v;
		}
		e[w] = s;
		emax = fmax(emax, s);
	}
	long nok = 0;
	for (long w = 0; w < count; ++w)
		if (e[w] > emax * DELAY_QUIET_RATIO)
			ok[nok++] = w;
	int used = nok < DELAY_MAX_STRETCHES ? (int)nok : DELAY_MAX_STRETCHES;
	for (int i = 0; i < used; ++i) {
		// Evenly spread over the qualifying stretches.
		long pick = used > 1 ? (long)((double)i * (double)(nok - 1) / (used - 1) + 0.5) : 0;
		start[i] = ok[pick] * len;
	}
	free(e);
	free(ok);
	return used;
}

// The means of x and y over the stretch of len frames from s, in double: removed before the
// two are correlated, so a DC offset does not count as likeness.
static void stretch_means(const float *x, int xs, const float *y, int ys, long s, long len,
                          double *mx, double *my)
{
	double sx = 0.0, sy = 0.0;
	for (long t = 0; t < len; ++t) {
		sx += x[(s + t) * xs];
		sy += y[(s + t) * ys];
	}
	*mx = sx / (double)len;
	*my = sy / (double)len;
}

// Normalised correlation sum x[t] y[t + k] / sqrt(sum x^2 sum y^2) over the overlapping parts
// of every stretch, means removed, in double.
static double correlation_at(const float *x, int xs, const float *y, int ys, const long *start,
                             int count, long len, long k)
{
	double sxy = 0.0, sxx = 0.0, syy = 0.0;
	for (int w = 0; w < count; ++w) {
		const long s = start[w];
		double mx, my;
		stretch_means(x, xs, y, ys, s, len, &mx, &my);
		long t0 = k >= 0 ? 0 : -k, t1 = k >= 0 ? len - k : len;
		for (long t = t0; t < t1; ++t) {
			double a = x[(s + t) * xs] - mx, b = y[(s + t + k) * ys] - my;
			sxy += a * b;
			sxx += a * a;
			syy += b * b;
		}
	}
	return sxx > 0.0 && syy > 0.0 ? sxy / sqrt(sxx * syy) : 0.0;
}

// The weighted cross-correlation between whole lags, by its band-limited interpolation: the
// inverse transform of the accumulated spectrum evaluated directly at fractional lags within a
// sample of the peak, in 1/64 steps. A parabola through three samples would be biased by the
// sharp, sinc-like peak that the whitening makes.
static double fine_peak(const double *acc, long bins, long p, long k, double at_peak)
{
	const double sign = at_peak < 0.0 ? -1.0 : 1.0;
	double best = -INFINITY, best_tau = (double)k;
	for (int j = -64; j <= 64; ++j) {
		const double tau = (double)k + j / 64.0;
		double sum = acc[0];
		for (long b = 1; b < bins; ++b) {
			const double ph = 2.0 * DELAY_PI * (double)b * tau / (double)p;
			const double w = 2 * b == p ? 1.0 : 2.0; // the Nyquist bin appears once
			sum += w * (acc[2 * b] * cos(ph) - acc[2 * b + 1] * sin(ph));
		}
		if (sign * sum > best) {
			best = sign * sum;
			best_tau = tau;
		}
	}
	return best_tau;
}

int delay_estimate(const float *x, int x_stride, const float *y, int y_stride, long n,
                   int max_delay, DelayEstimate *out)
{
	memset(out, 0, sizeof *out);
	if (n < 2 || !x || !y || x_stride < 1 || y_stride < 1)
		return -1;
	long len = n < DELAY_STRETCH ? n : DELAY_STRETCH;
	long maxd = max_delay < 0 ? 0 : max_delay;
	if (maxd > len / 2)
		maxd = len / 2;
	long p = 1;
	while (p < len + maxd + 1)
		p <<= 1;
	long bins = p / 2 + 1;

	long start[DELAY_MAX_STRETCHES];
	int count = pick_stretches(x, x_stride, n, len, start);

	int rc = -1;
	float *xa = fftwf_alloc_real((size_t)p);
	float *ya = fftwf_alloc_real((size_t)p);
	fftwf_complex *xf = fftwf_alloc_complex((size_t)bins);
	fftwf_complex *yf = fftwf_alloc_complex((size_t)bins);
	double *acc = malloc((size_t)bins * 2 * sizeof *acc); // [bins][re, im]
	fftwf_plan fwd_x = NULL, fwd_y = NULL, inv = NULL;
	if (!xa || !ya || !xf || !yf || !acc)
		goto done;
	fwd_x = fftwf_plan_dft_r2c_1d((int)p, xa, xf, FFTW_ESTIMATE);
	fwd_y = fftwf_plan_dft_r2c_1d((int)p, ya, yf, FFTW_ESTIMATE);
	inv = fftwf_plan_dft_c2r_1d((int)p, xf, xa, FFTW_ESTIMATE);
	if (!fwd_x || !fwd_y || !inv)
		goto done;

	memset(acc, 0, (size_t)bins * 2 * sizeof *acc);
	for (int w = 0; w < count; ++w) {
		const long s = start[w];
		double mx, my;
		stretch_means(x, x_stride, y, y_stride, s, len, &mx, &my);
		for (long t = 0; t < len; ++t) {
			xa[t] = (float)(x[(s + t) * x_stride] - mx);
			ya[t] = (float)(y[(s + t) * y_stride] - my);
		}
		for (long t = len; t < p; ++t)
			xa[t] = ya[t] = 0.0f;
		fftwf_execute(fwd_x);
		fftwf_execute(fwd_y);
		// conj(X) Y transforms back to sum_t x[t] y[t + k] at index k (negative k at p + k).
		for (long b = 0; b < bins; ++b) {
			double ar = xf[b][0], ai = -(double)xf[b][1], br = yf[b][0], bi = yf[b][1];
			double gr = ar * br - ai * bi, gi = ar * bi + ai * br;
			double mag = hypot(gr, gi);
			if (mag > 0.0) {
				double wgt = pow(mag, -DELAY_PHAT_BETA);
				acc[2 * b] += gr * wgt;
				acc[2 * b + 1] += gi * wgt;
			}
		}
	}
	for (long b = 0; b < bins; ++b) {
		xf[b][0] = (float)acc[2 * b];
		xf[b][1] = (float)acc[2 * b + 1];
	}
	fftwf_execute(inv);

	double best = -1.0;
	long best_k = 0;
	for (long k = -maxd; k <= maxd; ++k) {
		double a = fabs(xa[k >= 0 ? k : p + k]);
		// Prefer the smaller lag on (near) ties.
		if (a > best * (1.0 + 1e-6) || (a >= best * (1.0 - 1e-6) && labs(k) < labs(best_k))) {
			best = a;
			best_k = k;
		}
	}
	out->delay = (int)best_k;
	out->delay_fine = fine_peak(acc, bins, p, best_k, xa[best_k >= 0 ? best_k : p + best_k]);
	out->onset = (int)best_k;
	for (long k = best_k - DELAY_ONSET_WINDOW; k < best_k; ++k) {
		if (k < -maxd)
			continue;
		if (fabs(xa[k >= 0 ? k : p + k]) >= DELAY_ONSET_RATIO * best) {
			out->onset = (int)k;
			break;
		}
	}
	// The plain correlation is strongest where the response is, which a device that rings or
	// filters hard may put a few samples from the whitened peak: take the strongest from the
	// onset to a sample after the peak, so a related pair is never called unrelated.
	out->correlation_at_delay = correlation_at(x, x_stride, y, y_stride, start, count, len, best_k);
	out->correlation = 0.0;
	for (long k = out->onset; k <= best_k + 1 && k <= maxd; ++k) {
		const double c = correlation_at(x, x_stride, y, y_stride, start, count, len, k);
		if (fabs(c) > fabs(out->correlation))
			out->correlation = c;
	}
	out->correlation_at_zero = correlation_at(x, x_stride, y, y_stride, start, count, len, 0);
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
	free(acc);
	return rc;
}
