// SPDX-License-Identifier: ISC
// Least-squares FIR: autocorrelation and cross-correlation sums, a Cholesky solve.
#include "linear_baseline.h"

#include <math.h>
#include <string.h>

enum { K = LINEAR_BASELINE_TAPS };

void linear_baseline_fit_init(LinearBaselineFit *f) { memset(f, 0, sizeof *f); }

void linear_baseline_fit_add(LinearBaselineFit *f, const float *x, int xs, const float *t,
                             long from, long to)
{
	if (f->pass == 0) {
		for (long i = from; i < to; i++) {
			f->sx += x[i * xs];
			f->sy += t[i];
		}
		f->n += (double)(to - from);
		return;
	}
	const double mx = f->n > 0 ? f->sx / f->n : 0.0, my = f->n > 0 ? f->sy / f->n : 0.0;
	for (long i = from + K - 1; i < to; i++) {
		const double y = t[i] - my, x0 = x[i * xs] - mx;
		for (int k = 0; k < K; k++) {
			const double xk = x[(i - k) * xs] - mx;
			f->r[k] += x0 * xk;
			f->p[k] += y * xk;
		}
	}
}

int linear_baseline_solve(const LinearBaselineFit *f, LinearBaseline *out)
{
	memset(out, 0, sizeof *out);
	if (!(f->r[0] > 0))
		return -1;
	// A[i][j] = r[|i - j|] + ridge: a Toeplitz matrix, positive definite with the ridge.
	double a[K][K];
	double b[K];
	for (int i = 0; i < K; i++) {
		for (int j = 0; j < K; j++)
			a[i][j] = f->r[i > j ? i - j : j - i];
		a[i][i] += 1e-6 * f->r[0];
		b[i] = f->p[i];
	}
	// Cholesky, in place in the lower triangle.
	for (int j = 0; j < K; j++) {
		double d = a[j][j];
		for (int k = 0; k < j; k++)
			d -= a[j][k] * a[j][k];
		if (!(d > 0))
			return -1;
		a[j][j] = sqrt(d);
		for (int i = j + 1; i < K; i++) {
			double s = a[i][j];
			for (int k = 0; k < j; k++)
				s -= a[i][k] * a[j][k];
			a[i][j] = s / a[j][j];
		}
	}
	for (int i = 0; i < K; i++) { // L z = b
		double s = b[i];
		for (int k = 0; k < i; k++)
			s -= a[i][k] * b[k];
		b[i] = s / a[i][i];
	}
	for (int i = K - 1; i >= 0; i--) { // L^T h = z
		double s = b[i];
		for (int k = i + 1; k < K; k++)
			s -= a[k][i] * b[k];
		b[i] = s / a[i][i];
	}
	const double mx = f->sx / f->n, my = f->sy / f->n;
	double gain = 0.0;
	for (int k = 0; k < K; k++) {
		out->taps[k] = b[k];
		gain += b[k];
	}
	out->bias = my - gain * mx;
	return 0;
}

void linear_baseline_score(const LinearBaseline *lb, const float *x, int xs, const float *t,
                           long from, long to, double *err2, double *sig2)
{
	for (long i = from; i < to; i++) {
		double y = lb->bias;
		for (int k = 0; k < K && i - k >= 0; k++)
			y += lb->taps[k] * x[(i - k) * xs];
		const double e = y - t[i];
		*err2 += e * e;
		*sig2 += (double)t[i] * t[i];
	}
}
