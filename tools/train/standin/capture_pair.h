// SPDX-License-Identifier: ISC
// TEMPORARY stand-in for tools/common/capture_pair.h (tools branch), same signatures.
#ifndef LSTM_TOOLS_CAPTURE_PAIR_H
#define LSTM_TOOLS_CAPTURE_PAIR_H
#include "audio_file.h"
typedef struct {
	int trim;
	int compensate_delay;
	int max_delay;
	long min_frames;
	int input_channels;
} CapturePairOptions;
CapturePairOptions capture_pair_default_options(void);
typedef struct {
	AudioBuffer input;
	AudioBuffer target;
	int delay;
	int polarity_inverted;
	long clipped_input, clipped_target;
	char warnings[1024];
	double correlation;
} CapturePair;
int capture_pair_load(const char *input_path, const char *target_path,
                      const CapturePairOptions *opt, CapturePair *out, char *err, size_t err_len);
void capture_pair_free(CapturePair *p);
#endif
