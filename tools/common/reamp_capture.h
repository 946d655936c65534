// SPDX-License-Identifier: ISC
// What a recording of the standard capture signal (reamp_signal.h) tells about the device:
// its latency from the blips, and whether it sounds like itself from the first validation clip
// to the second.
#ifndef LSTM_TOOLS_REAMP_CAPTURE_H
#define LSTM_TOOLS_REAMP_CAPTURE_H

#include "reamp_signal.h"

#ifdef __cplusplus
extern "C" {
#endif

// NAM's threshold: two recordings of one clip that differ by this ESR or more "do not sound
// like each other", and no model can be expected to be closer to the device than they are.
#define REAMP_REPLICATE_MAX_ESR 0.01

typedef struct {
	int ok;          // 1 when the blips gave one latency
	int latency;     // samples from a blip to the start of the device's response (< 0:
					 // the recording leads), the earliest of the blips that answered
	int answered;    // blips whose response rose clearly above the noise floor
	int spread;      // largest difference between the blips' latencies, samples
	double noise_db; // peak of the leading silence, dBFS
	char why[160];   // when !ok: why the blips could not be used
} ReampLatency;

// Finds the response to each blip in target t (n frames, laid out as l): its peak, from max_lead
// samples before the blip to max_delay after it, then the first sample at most DELAY_ONSET_WINDOW
// before that peak that rises above both three times the noise floor's peak and DELAY_ONSET_RATIO
// of the peak (after the DC of the leading silence is removed): the cross-correlation's definition
// of the response's start, so both ways of aligning agree and a linear-phase filter's long
// pre-ringing does not leave the model a delay to learn. ok when at least three blips answer and
// agree within 2 samples.
void reamp_blip_latency(const float *t, long n, const ReampLayout *l, int max_lead, int max_delay,
                        ReampLatency *out);

// Plain ESR between the target's two validation clips (clip B against clip A): how far the
// device, or the recording chain, differs from itself over the take. -1 when the clips are
// silent or outside the n frames.
double reamp_replicate_esr(const float *t, long n, const ReampLayout *l);

#ifdef __cplusplus
}
#endif

#endif
