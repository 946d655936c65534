// SPDX-License-Identifier: ISC
// The figure a network has to beat: a causal FIR filter (with a constant) fitted by least
// squares from the dry to the wet signal of the training audio. A device that is a linear
// filter plus a little distortion (a clean preamp, an EQ) is already matched by it; a network
// that does no better has not learned the device's nonlinearity, and the user should know.
#ifndef TRAIN_LINEAR_BASELINE_H
#define TRAIN_LINEAR_BASELINE_H

#include "holdout.h"

enum { LINEAR_BASELINE_TAPS = 64 };

typedef struct {
	double taps[LINEAR_BASELINE_TAPS]; // y[t] = sum_k taps[k] x[t - k] + bias
	double bias;
} LinearBaseline;

// Accumulates the statistics of the spans [from, to) of one series: x (stride x_stride, first
// channel) and target t. Call once per training span, then solve.
typedef struct {
	double r[LINEAR_BASELINE_TAPS]; // sum x[t] x[t - k], means removed
	double p[LINEAR_BASELINE_TAPS]; // sum y[t] x[t - k]
	double sx, sy;
	double n;
	// First pass: means, then correlations.
	int pass;
} LinearBaselineFit;

void linear_baseline_fit_init(LinearBaselineFit *f);
// Adds [from, to) of a series; pass 0 gathers the means, pass 1 the correlations (call every
// span with pass 0, set f->pass = 1, then every span again).
void linear_baseline_fit_add(LinearBaselineFit *f, const float *x, int x_stride, const float *t,
                             long from, long to);
// Solves the normal equations (Toeplitz autocorrelation form, a little ridge). Returns 0, or
// -1 when the input holds no signal.
int linear_baseline_solve(const LinearBaselineFit *f, LinearBaseline *out);
// Adds the filter's squared error and the target's energy over [from, to) of a series (the 63
// samples before from are its context) to *err2 and *sig2.
void linear_baseline_score(const LinearBaseline *lb, const float *x, int x_stride, const float *t,
                           long from, long to, double *err2, double *sig2);

#endif
