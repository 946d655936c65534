// SPDX-License-Identifier: ISC
// Pre-emphasis design, the ESR + DC loss and its gradient, and Adam (see train_loss.h). Sums
// are kept in double so the loss does not depend on float rounding over long chunks.
#include "train_loss.h"

#include <math.h>
#include <string.h>

#ifdef TRAIN_F64
#define REAL_SQRT sqrt
#else
#define REAL_SQRT sqrtf
#endif

static double aweight_gain(double f)
{
	// IEC 61672 A-weighting magnitude, normalised to 0 dB at 1 kHz.
	const double f1 = 20.598997, f2 = 107.65265, f3 = 737.86223, f4 = 12194.217;
	double f_2 = f * f;
	double num = f4 * f4 * f_2 * f_2;
	double den = (f_2 + f1 * f1) * sqrt((f_2 + f2 * f2) * (f_2 + f3 * f3)) * (f_2 + f4 * f4);
	return num / den / 0.79434639580229505;
}

void preemph_design(PreEmphasis *pe, PreEmphasisKind kind, double coef, double sample_rate)
{
	memset(pe, 0, sizeof *pe);
	if (kind == PREEMPH_NONE) {
		pe->taps = 1;
		pe->h[0] = 1.0;
		return;
	}
	if (kind == PREEMPH_FIRST) {
		pe->taps = 2;
		pe->h[0] = 1.0;
		pe->h[1] = -coef;
		return;
	}
	// Linear-phase FIR by frequency sampling: the inverse cosine transform of the magnitude,
	// Hann-windowed, centred on tap 50.
	enum { N = 101, C = 50, BINS = 2048 };
	double fir[N];
	const double pi = 3.14159265358979323846;
	for (int j = 0; j < N; j++) {
		double acc = 0.0;
		for (int k = 0; k <= BINS; k++) {
			double w = pi * k / BINS;
			double mag = k == 0 ? 0.0 : aweight_gain(w * sample_rate / (2.0 * pi));
			double weight = (k == 0 || k == BINS) ? 0.5 : 1.0;
			acc += weight * mag * cos(w * (j - C));
		}
		double hann = 0.5 - 0.5 * cos(2.0 * pi * (j + 1) / (N + 1));
		fir[j] = acc / BINS * hann;
	}
	// Then the low-pass 1 + 0.85 z^-1.
	pe->taps = N + 1;
	for (int j = 0; j < N; j++) {
		pe->h[j] += fir[j];
		pe->h[j + 1] += 0.85 * fir[j];
	}
}

static double filtered(const PreEmphasis *pe, const real *a, const real *b, int t, int R)
{
	// (p * (a - b)) at time t for the column the pointers start at; b may be NULL.
	double s = 0.0;
	for (int j = 0; j < pe->taps; j++) {
		long o = (long)(t - j) * R;
		s += pe->h[j] * (double)(b ? a[o] - b[o] : a[o]);
	}
	return s;
}

void train_loss_target_sums(const PreEmphasis *pe, const real *t, int T, int R, LossSums *s)
{
	for (int r = 0; r < R; r++) {
		for (int n = 0; n < T; n++) {
			double v = t[(long)n * R + r];
			s->sum_t2 += v * v;
		}
		for (int n = pe->taps - 1; n < T; n++) {
			double v = filtered(pe, t + r, NULL, n, R);
			s->sum_tp2 += v * v;
		}
	}
	s->count += (double)T * R;
	if (T >= pe->taps)
		s->count_p += (double)(T - pe->taps + 1) * R;
	s->columns += R;
}

void train_loss_norm(const LossSums *s, int T, double esr_weight, double dc_weight,
                     LossNorm *n)
{
	n->esr_weight = esr_weight;
	n->dc_weight = dc_weight;
	n->eps = 1e-5;
	n->T = T;
	n->inv_esr = s->count_p > 0 ? 1.0 / (s->count_p * (s->sum_tp2 / s->count_p + n->eps)) : 0.0;
	n->inv_dc = s->columns > 0 ? 1.0 / (s->columns * (s->sum_t2 / s->count + n->eps)) : 0.0;
}

double loss_esr_dc_forward(const PreEmphasis *pe, const LossNorm *n, const real *y,
                           const real *t, int R, double *esr)
{
	const int T = n->T;
	double se = 0.0, sd = 0.0;
	for (int r = 0; r < R; r++) {
		for (int k = pe->taps - 1; k < T; k++) {
			double e = filtered(pe, y + r, t + r, k, R);
			se += e * e;
		}
		double d = 0.0;
		for (int k = 0; k < T; k++)
			d += (double)y[(long)k * R + r] - (double)t[(long)k * R + r];
		d /= T;
		sd += d * d;
	}
	double e_part = se * n->inv_esr;
	if (esr)
		*esr = e_part;
	return n->esr_weight * e_part + n->dc_weight * sd * n->inv_dc;
}

void loss_esr_dc_backward(const PreEmphasis *pe, const LossNorm *n, const real *y,
                          const real *t, int R, real *e, real *dy)
{
	const int T = n->T;
	const long TR = (long)T * R;
	for (long j = 0; j < TR; j++)
		e[j] = 0;
	for (int r = 0; r < R; r++)
		for (int k = pe->taps - 1; k < T; k++)
			e[(long)k * R + r] = (real)filtered(pe, y + r, t + r, k, R);
	const double ge = 2.0 * n->esr_weight * n->inv_esr;
	for (int r = 0; r < R; r++) {
		double d = 0.0;
		for (int k = 0; k < T; k++)
			d += (double)y[(long)k * R + r] - (double)t[(long)k * R + r];
		const double gd = 2.0 * n->dc_weight * n->inv_dc * (d / T) / T;
		for (int k = 0; k < T; k++) {
			// dL/dy[k] = ge * sum_j h[j] e[k + j]  (correlation with the filter) + gd
			double s = 0.0;
			for (int j = 0; j < pe->taps && k + j < T; j++)
				s += pe->h[j] * (double)e[(long)(k + j) * R + r];
			dy[(long)k * R + r] = (real)(ge * s + gd);
		}
	}
}

void adam_update(real *p, const real *g, real *m, real *v, size_t n, double lr, double beta1,
                 double beta2, double eps, long step)
{
	const double bc1 = 1.0 - pow(beta1, (double)step);
	const double bc2 = 1.0 - pow(beta2, (double)step);
	const real step_size = (real)(lr / bc1);
	const real sqrt_bc2 = (real)sqrt(bc2);
	const real b1 = (real)beta1, b2 = (real)beta2, e = (real)eps;
	for (size_t j = 0; j < n; j++) {
		m[j] = b1 * m[j] + (1 - b1) * g[j];
		v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
		p[j] -= step_size * m[j] / (REAL_SQRT(v[j]) / sqrt_bc2 + e);
	}
}
