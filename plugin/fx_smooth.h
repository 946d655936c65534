// SPDX-License-Identifier: ISC
// A one-pole parameter smoother that lands exactly on its target: once the distance is below a
// small threshold the value snaps to the target, so a settled gain of 1 multiplies by exactly 1
// and the plugin's output at default controls is bit-identical to the bare engine.
// Audio thread; no allocation, no LV2 types.
#ifndef LSTM_FX_SMOOTH_H
#define LSTM_FX_SMOOTH_H

#include <math.h>

typedef struct {
	float value;  // what the next sample uses
	float target; // where it is going
	float coeff;  // fraction of the distance covered per sample
} FxSmooth;

// Sets the time constant (seconds) for a sample rate and jumps to value. Any thread.
static inline void fx_smooth_init(FxSmooth *s, double rate, double tau, float value)
{
	s->coeff = (float)(1.0 - exp(-1.0 / (tau * rate)));
	s->value = value;
	s->target = value;
}

static inline void fx_smooth_set(FxSmooth *s, float target) { s->target = target; }

// Skips the ramp. Audio thread.
static inline void fx_smooth_jump(FxSmooth *s) { s->value = s->target; }

static inline int fx_smooth_settled(const FxSmooth *s) { return s->value == s->target; }

// Advances one sample and returns the new value. Audio thread.
static inline float fx_smooth_next(FxSmooth *s)
{
	const float d = s->target - s->value;
	const float next = s->value + s->coeff * d;
	// Snap when the rest is below what a 24-bit converter resolves on a gain or a mix, or when
	// float rounding stalls the ramp short of its target.
	s->value = (fabsf(d) < 1e-5f || next == s->value) ? s->target : next;
	return s->value;
}

#endif
