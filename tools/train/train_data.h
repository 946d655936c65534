// SPDX-License-Identifier: ISC
// lstm-train's data: every dry/wet pair read once and checked (capture_pair.h), the knob values
// appended as constant input channels, the validation blocks chosen (holdout.h), the skip
// connection chosen and the audio scaled to one training level, and the linear baseline fitted
// on what is left for training. Worker thread; allocates and reads files.
#ifndef TRAIN_DATA_H
#define TRAIN_DATA_H

#include "capture_pair.h"
#include "holdout.h"
#include "model_desc.h"
#include "trainer.h"

#include <stddef.h>
#include <stdio.h>

enum { TRAIN_DATA_MAX_HELD = 64 };

// One pair as given on the command line.
typedef struct {
	const char *input, *target;
	int knobs;
	char knob_name[MODEL_MAX_CONTROLS][MODEL_NAME_LEN];
	float knob_value[MODEL_MAX_CONTROLS];
	int validation_only; // --valid-input/--valid-target
} TrainPairSpec;

typedef struct {
	int trim, compensate_delay;
	double valid_split;     // < 0: a tenth in blocks spread across each take (the default)
	double test_split;      // fraction at the very end kept for a final test
	double segment_seconds; // one training segment
	int keep_levels;        // 1: train on the audio as recorded
	int skip;               // -1: choose from the data; 0 or 1: as given
} TrainDataOptions;

typedef struct {
	CapturePair pair;
	float *x; // [n][inputs], channel 0 scaled by gain_in; the target is scaled in place
	TrainSeries s;
	TrainSpan held[TRAIN_DATA_MAX_HELD];
	HoldoutSummary holdout;
} TrainPair;

typedef struct {
	TrainPair *pairs;
	int count;
	int inputs;   // audio channels + knobs
	int channels; // audio channels
	double rate;
	int segment;             // samples
	int skip;                // the skip connection chosen (or given)
	float gain_in, gain_out; // the training scale (TRAIN_DATA_LEVEL / RMS), 1 when kept
} TrainData;

// Reads and prepares every pair. Progress and warnings go to report (NULL: quiet). Returns 0,
// or -1 with a message naming the file and the problem (the data is then freed).
int train_data_load(const TrainPairSpec *specs, int count, const TrainDataOptions *o, FILE *report,
                    TrainData *d, char *err, size_t err_len);
void train_data_free(TrainData *d);

// The linear baseline's plain ESR on the validation audio (-1 when there is none).
double train_data_linear_baseline_esr(const TrainData *d);

#endif
