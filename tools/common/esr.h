// SPDX-License-Identifier: ISC
// Error-to-signal ratio, the figure every capture is judged by: the energy of the error
// between model output and device output relative to the energy of the device output.
#ifndef LSTM_TOOLS_ESR_H
#define LSTM_TOOLS_ESR_H

#ifdef __cplusplus
extern "C" {
#endif

// The pre-emphasis coefficient commonly used for guitar captures (Wright et al. 2019).
#define ESR_PREEMPH_DEFAULT 0.95

// sum((y-t)^2)/sum(t^2) over n samples, computed in double. With preemph = a != 0 both signals
// first go through the filter 1 - a z^-1, taken over t = 1..n-1 (no sample is assumed before
// the first one, so the first output is not penalised for a made-up history). Returns NAN when
// n is too small or the (filtered) target has no energy, since the ratio is undefined then.
// Any thread; no allocation.
double esr_compute(const float *output, const float *target, long n, double preemph);

#ifdef __cplusplus
}
#endif

#endif
