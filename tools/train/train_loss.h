// SPDX-License-Identifier: ISC
// The training loss: w_esr * ESR of pre-emphasised signals + w_dc * DC loss, over a chunk of
// B sequences of T samples, time-major ([T][B]). Because the normalisers depend only on the
// target, they are summed first over the whole batch (train_loss_target_sums, then
// train_loss_norm); each thread can then compute its own columns' loss and dL/dy alone.
//
//   ESR = mean over valid (t,b) of (p*(y-t))^2 / (mean of (p*t)^2 + eps), p the filter,
//         valid t from taps-1 to T-1 (no padding, as in Wright and Valimaki's code)
//   DC  = mean over b of (mean over t of (y-t))^2 / (mean over (t,b) of t^2 + eps)
#ifndef TRAIN_LOSS_H
#define TRAIN_LOSS_H

#include "train_real.h"

#include <stddef.h>

enum { PREEMPH_MAX_TAPS = 8, PREEMPH_MAX_SECTIONS = 8 };

typedef enum {
	PREEMPH_NONE = 0,
	PREEMPH_FIRST = 1,   // 1 - a z^-1
	PREEMPH_AWEIGHT = 2, // A-weighting and a low-pass 1 + 0.85 z^-1 (Wright & Valimaki 2020)
} PreEmphasisKind;

// An FIR part, then a cascade of first-order IIR sections y[n] = x[n] + b1 x[n-1] + a1 y[n-1],
// all from zero state at the start of each chunk.
typedef struct {
	int taps;
	double h[PREEMPH_MAX_TAPS]; // h[0] multiplies the current sample
	int sections;
	double b1[PREEMPH_MAX_SECTIONS], a1[PREEMPH_MAX_SECTIONS];
} PreEmphasis;

// Designs the filter: coef is a for PREEMPH_FIRST (0.85 in the recipe); the A-weighting filter
// is the IEC 61672 analogue curve by the bilinear transform with prewarped poles (six
// first-order sections, 0 dB at 1 kHz) followed by the low-pass. (A 101-tap FIR fit, as in
// Wright's code, cannot resolve the curve below a few hundred hertz at 48 kHz.) Any thread.
void preemph_design(PreEmphasis *pe, PreEmphasisKind kind, double coef, double sample_rate);

typedef struct {
	double sum_tp2; // sum of the pre-emphasised target squared over valid samples
	double sum_t2;  // sum of the target squared
	double count_p; // number of valid pre-emphasised samples
	double count;   // number of samples
	double columns; // B
} LossSums;

typedef struct {
	double esr_weight, dc_weight, eps;
	double inv_esr; // 1 / (count_p * (mean tp^2 + eps))
	double inv_dc;  // 1 / (B * (mean t^2 + eps))
	int T;
} LossNorm;

// Adds the target's sums of R columns (t [T][R]) into s. Any thread.
void train_loss_target_sums(const PreEmphasis *pe, const real *t, int T, int R, LossSums *s);
void train_loss_norm(const LossSums *s, int T, double esr_weight, double dc_weight, LossNorm *n);

// This thread's share of the loss (summing all shares gives the batch loss); y, t [T][R].
// Also returns the share of the ESR term alone in *esr when esr is not NULL.
double train_loss_esr_dc_forward(const PreEmphasis *pe, const LossNorm *n, const real *y,
                                 const real *t, int R, double *esr);
// dL/dy into dy [T][R]. e [T][R] is scratch. The filter's adjoint (the same filter run
// backwards in time) carries the ESR gradient back to y.
void train_loss_esr_dc_backward(const PreEmphasis *pe, const LossNorm *n, const real *y,
                                const real *t, int R, real *e, real *dy);

// Adam with PyTorch's update rule and bias correction. p, g, m, v have n reals; step counts
// from 1. Any thread; no allocation.
void train_adam_update(real *p, const real *g, real *m, real *v, size_t n, double lr, double beta1,
                       double beta2, double eps, long step);

#endif
