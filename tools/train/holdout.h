// SPDX-License-Identifier: ISC
// Which parts of a recording are held out to judge the model: blocks spread across the whole
// take, never from silence, so the validation figure represents the recording instead of
// whatever its last seconds happen to hold (often a fade or a quiet tail).
#ifndef TRAIN_HOLDOUT_H
#define TRAIN_HOLDOUT_H

#include <stddef.h>

typedef struct {
	long from, to; // samples [from, to)
} TrainSpan;

typedef struct {
	long samples;        // held out in all
	double input_rms_db; // of the held-out input, dBFS
	int skipped_quiet;   // blocks passed over as (near) silent
} HoldoutSummary;

// Picks about fraction * end samples of [0, end) in blocks of `block` samples that start on
// multiples of `block` (a whole number of training segments, so training loses nothing else),
// evenly spread over the blocks whose input and target both come within 30 dB of the take's
// loud level (its 90th-percentile block). At most half of those blocks are taken, and at
// least one when any qualifies. x has stride x_stride (its first channel is the audio).
// Writes up to max spans in time order to out and returns how many. Any thread; allocates.
int holdout_pick(const float *x, int x_stride, const float *t, long end, long block,
                 double fraction, TrainSpan *out, int max, HoldoutSummary *sum);

#endif
