// SPDX-License-Identifier: ISC
// What the benchmarks share: a clock read in seconds, the median of a set of runs, and the
// shape of the small model they time (each fills the weights with its own seeded values, so
// its figures stay comparable with its earlier ones).
#ifndef LSTM_BENCH_UTIL_H
#define LSTM_BENCH_UTIL_H

#include "model_desc.h"

#include <time.h>

// clock (CLOCK_MONOTONIC for wall time, CLOCK_THREAD_CPUTIME_ID or CLOCK_PROCESS_CPUTIME_ID
// for CPU time) in seconds.
double bench_seconds(clockid_t clock);

// The median of v[0..n-1] (n >= 1; the mean of the middle two when n is even). Sorts v.
double bench_median(double *v, int n);

// m as a 48 kHz model of one input: one recurrent layer of cell and hidden units, a linear
// head to one output, skip on, its weights allocated and zero. Returns 0, or -1 when out of
// memory.
int bench_model_shape(ModelDesc *m, CellType cell, int hidden);

#endif
