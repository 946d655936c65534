// SPDX-License-Identifier: ISC
// Pre-emphasis design, the ESR + DC loss and its gradient, and Adam (see train_loss.h). Sums
// are kept in double so the loss does not depend on float rounding over long chunks.
#include "train_loss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef TRAIN_F64
#define REAL_SQRT sqrt
#else
#define REAL_SQRT sqrtf
#endif

static double section_gain_sq(const PreEmphasis *pe, double w)
{
	// |H(e^jw)|^2 of the IIR cascade alone.
	double g = 1.0;
	for (int i = 0; i < pe->sections; i++) {
		double nr = 1 + pe->b1[i] * cos(w), ni = -pe->b1[i] * sin(w);
		double dr = 1 - pe->a1[i] * cos(w), di = pe->a1[i] * sin(w);
		g *= (nr * nr + ni * ni) / (dr * dr + di * di);
	}
	return g;
}

void preemph_design(PreEmphasis *pe, PreEmphasisKind kind, double coef, double sample_rate)
{
	memset(pe, 0, sizeof *pe);
	pe->taps = 1;
	pe->h[0] = 1.0;
	if (kind == PREEMPH_FIRST) {
		pe->taps = 2;
		pe->h[1] = -coef;
	}
	if (kind != PREEMPH_AWEIGHT)
		return;
	// A(s) = k s^4 / ((s + w1)^2 (s + w2) (s + w3) (s + w4)^2): four zeros at 0 (z = 1), two
	// at infinity (z = -1) and six real poles.
	const double pi = 3.14159265358979323846;
	const double fp[6] = {20.598997, 20.598997, 107.65265, 737.86223, 12194.217, 12194.217};
	const double fs2 = 2.0 * sample_rate;
	for (int i = 0; i < 6; i++) {
		double f = fp[i] < 0.45 * sample_rate ? fp[i] : 0.45 * sample_rate;
		double w = fs2 * tan(pi * f / sample_rate);
		pe->a1[i] = (fs2 - w) / (fs2 + w);
		pe->b1[i] = i < 4 ? -1.0 : 1.0;
	}
	pe->sections = 6;
	double g1k = sqrt(section_gain_sq(pe, 2 * pi * 1000.0 / sample_rate));
	pe->taps = 2;
	pe->h[0] = 1.0 / g1k;
	pe->h[1] = 0.85 / g1k;
}

// out[k*os] = (p * (a - b))[k] for the column a, b (stride is) from zero state; b may be NULL.
static void pe_apply(const PreEmphasis *pe, const real *a, const real *b, int T, int is, real *out,
                     int os)
{
	for (int k = 0; k < T; k++) {
		double s = 0.0;
		for (int j = 0; j < pe->taps && j <= k; j++) {
			long o = (long)(k - j) * is;
			s += pe->h[j] * (double)(b ? a[o] - b[o] : a[o]);
		}
		out[(long)k * os] = (real)s;
	}
	for (int i = 0; i < pe->sections; i++) {
		double xp = 0.0, yp = 0.0;
		const double b1 = pe->b1[i], a1 = pe->a1[i];
		for (int k = 0; k < T; k++) {
			double x = out[(long)k * os], y = x + b1 * xp + a1 * yp;
			xp = x;
			yp = y;
			out[(long)k * os] = (real)y;
		}
	}
}

// The adjoint: g (column, stride R) is filtered backwards in time in place, then the FIR
// correlation goes into out (same stride).
static void pe_adjoint(const PreEmphasis *pe, real *g, int T, int R, real *out)
{
	for (int i = 0; i < pe->sections; i++) {
		double xp = 0.0, yp = 0.0;
		const double b1 = pe->b1[i], a1 = pe->a1[i];
		for (int k = T - 1; k >= 0; k--) {
			double x = g[(long)k * R], y = x + b1 * xp + a1 * yp;
			xp = x;
			yp = y;
			g[(long)k * R] = (real)y;
		}
	}
	for (int k = 0; k < T; k++) {
		double s = 0.0;
		for (int j = 0; j < pe->taps && k + j < T; j++)
			s += pe->h[j] * (double)g[(long)(k + j) * R];
		out[(long)k * R] = (real)s;
	}
}

void train_loss_target_sums(const PreEmphasis *pe, const real *t, int T, int R, LossSums *s)
{
	real *tmp = malloc((size_t)T * sizeof *tmp);
	for (int r = 0; r < R; r++) {
		for (int n = 0; n < T; n++) {
			double v = t[(long)n * R + r];
			s->sum_t2 += v * v;
		}
		if (!tmp)
			continue;
		pe_apply(pe, t + r, NULL, T, R, tmp, 1);
		for (int n = pe->taps - 1; n < T; n++)
			s->sum_tp2 += (double)tmp[n] * tmp[n];
	}
	free(tmp);
	s->count += (double)T * R;
	if (T >= pe->taps)
		s->count_p += (double)(T - pe->taps + 1) * R;
	s->columns += R;
}

void train_loss_norm(const LossSums *s, int T, double esr_weight, double dc_weight, LossNorm *n)
{
	n->esr_weight = esr_weight;
	n->dc_weight = dc_weight;
	n->eps = 1e-5;
	n->T = T;
	n->inv_esr = s->count_p > 0 ? 1.0 / (s->count_p * (s->sum_tp2 / s->count_p + n->eps)) : 0.0;
	n->inv_dc = s->columns > 0 ? 1.0 / (s->columns * (s->sum_t2 / s->count + n->eps)) : 0.0;
}

static double column_dc(const real *y, const real *t, int T, int R)
{
	double d = 0.0;
	for (int k = 0; k < T; k++)
		d += (double)y[(long)k * R] - (double)t[(long)k * R];
	return d / T;
}

double train_loss_esr_dc_forward(const PreEmphasis *pe, const LossNorm *n, const real *y,
                                 const real *t, int R, double *esr)
{
	const int T = n->T;
	double se = 0.0, sd = 0.0;
	real *tmp = malloc((size_t)T * sizeof *tmp);
	for (int r = 0; r < R && tmp; r++) {
		pe_apply(pe, y + r, t + r, T, R, tmp, 1);
		for (int k = pe->taps - 1; k < T; k++)
			se += (double)tmp[k] * tmp[k];
		double d = column_dc(y + r, t + r, T, R);
		sd += d * d;
	}
	free(tmp);
	double e_part = se * n->inv_esr;
	if (esr)
		*esr = e_part;
	return n->esr_weight * e_part + n->dc_weight * sd * n->inv_dc;
}

void train_loss_esr_dc_backward(const PreEmphasis *pe, const LossNorm *n, const real *y,
                                const real *t, int R, real *e, real *dy)
{
	const int T = n->T;
	const double ge = 2.0 * n->esr_weight * n->inv_esr;
	for (int r = 0; r < R; r++) {
		// dL/d(filtered error)[k] = ge * e[k] over the scored samples, then the adjoint.
		pe_apply(pe, y + r, t + r, T, R, e + r, R);
		for (int k = 0; k < T; k++) {
			long o = (long)k * R + r;
			e[o] = k >= pe->taps - 1 ? (real)(ge * (double)e[o]) : 0;
		}
		pe_adjoint(pe, e + r, T, R, dy + r);
		const double gd = 2.0 * n->dc_weight * n->inv_dc * column_dc(y + r, t + r, T, R) / T;
		for (int k = 0; k < T; k++)
			dy[(long)k * R + r] = (real)((double)dy[(long)k * R + r] + gd);
	}
}

void train_adam_update(real *p, const real *g, real *m, real *v, size_t n, double lr, double beta1,
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
