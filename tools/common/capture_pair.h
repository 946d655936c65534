// SPDX-License-Identifier: ISC
// One dry/wet capture pair (the signal sent into a device and what came out), loaded and
// checked before it is used to train or score a model: every problem a person can make while
// recording or exporting a pair is caught here with a message that names the file.
#ifndef LSTM_TOOLS_CAPTURE_PAIR_H
#define LSTM_TOOLS_CAPTURE_PAIR_H

#include "audio_file.h"
#include "reamp_capture.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int trim;             // 1: cut both to the shorter length instead of refusing
	int compensate_delay; // 1 (default): shift the target by the delay found
	int max_delay;        // largest delay searched, samples (default 4800)
	long min_frames;      // refuse shorter pairs (e.g. one segment + warm-up); default 4800
	// Expected input channels (1 = audio; more for multichannel features), 0 = any.
	int input_channels;
	// Smallest |delay| that is compensated (default 8). A few samples of lag is the device's
	// own filtering (a tone control's group delay), which the model has to learn; shifting it
	// away would ask a causal network to predict the future. Smaller delays are still reported.
	int min_delay;
	int causal_margin;   // samples of delay left in when compensating (default 1): a delay
						 // estimate one sample long would otherwise ask a causal network
						 // to predict the future; a sample left in costs it nothing
	int use_shift;       // 1: shift by `shift` whatever the estimate (a second take of a
	int shift;           // device aligned as the model's training take was)
	int recognise_reamp; // 1 (default): an input that is the standard capture signal
						 // (reamp_signal.h) is aligned by its blips and checked by its clips
} CapturePairOptions;

// trim 0, compensate_delay 1, max_delay 4800, min_frames 4800, input_channels 1,
// min_delay 8, causal_margin 1, recognise_reamp 1. Any thread.
CapturePairOptions capture_pair_default_options(void);

typedef struct {
	AudioBuffer input;     // [frames][input channels]
	AudioBuffer target;    // [frames][1]
	int delay;             // samples the target lags the input (found by cross-correlation)
	int polarity_inverted; // 1 when the correlation at the delay is negative (below -0.05)
	long clipped_input, clipped_target; // samples at or above full scale
	char warnings[1024];  // newline-separated warnings (clipping, inversion, delay) for the user
	double correlation;   // normalised correlation at the delay found, -1..1
	double delay_fine;    // delay to a fraction of a sample
	int shifted;          // frames the target was moved earlier (< 0: later) when compensated:
						  // floor(delay_fine - causal_margin), else 0
	double latency;       // the delay left in the pair after the shift (>= 0): how far a model
						  // trained on it lags the device
	int reamp;            // 1 when the input is the standard capture signal; then:
	ReampLayout layout;   //   its parts, in frames of the pair as loaded (after the shift)
	ReampLatency blips;   //   the latency its blips gave (used when blips.ok)
	double replicate_esr; //   ESR of the target's clip B against its clip A (-1: none)
} CapturePair;

// Samples whose magnitude reaches this count as clipped: full scale of 16-bit audio
// (32767/32768) and above.
#define CAPTURE_CLIP_LEVEL 0.99996f

// Reads both files and checks them: unreadable / non-audio, rates differ, lengths differ
// (unless trim), channel counts that do not fit, NaN/Inf samples, silent input or target,
// too short. Then estimates the delay of the target (delay_estimate.h), shifts it when
// compensate_delay is set and either |delay| >= min_delay or the target leads its input, by
// floor(delay_fine - causal_margin) (both signals lose that many frames), so that what is
// left, out->latency, is never negative, and
// counts clipped samples.
// Warnings (delay, inversion, clipping, trimming, weak correlation) are collected in
// out->warnings for the caller to print. Returns 0, or -1 with a one-line message naming the
// file and the problem (out is then empty). opt may be NULL for the defaults. Worker thread:
// allocates, reads files, plans FFTs.
int capture_pair_load(const char *input_path, const char *target_path,
                      const CapturePairOptions *opt, CapturePair *out, char *err, size_t err_len);

// Frees both buffers. NULL-safe and idempotent.
void capture_pair_free(CapturePair *p);

#ifdef __cplusplus
}
#endif

#endif
