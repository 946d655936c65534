// SPDX-License-Identifier: ISC
// The recurrent-state correction path (rate_correct.h). At host/model ratio r = n + f (n whole,
// 0 <= f < 1) frame t starts from (1 - f) S[t - n] + f S[t - n - 1], where S[k] is the state
// after frame k and S[-1], S[-2], ... are the initial state. At r = 1 this is the plain
// recurrence. For whole r the frames form r interleaved chains that each see the signal at
// the model's rate; in between, the interpolated state blends neighbouring chains.
#include "rate_correct.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct RateCorrector {
	LstmNet *net;
	int inputs;
	size_t state_size; // S: floats in one state
	int whole;         // n = floor(r), >= 1
	float frac;        // f = r - n
	int ring_len;      // n + 1 states: S[t-1] .. S[t-n-1]
	int head;          // ring slot of S[t-1]
	float *mix;        // [S] the interpolated state, after the ring
	float ring[];      // [ring_len][S], then mix: one allocation with the struct
};

RateCorrector *rate_corrector_create(LstmNet *net, double ratio, ModelError *err)
{
	if (!(ratio > 1.0)) {
		model_error_set(err, MODEL_ERR_RANGE, "rate correction: ratio %g, needs > 1", ratio);
		return NULL;
	}
	const int whole = (int)floor(ratio);
	const size_t state_size = lstm_net_state_size(net);
	const size_t ring_floats = (size_t)(whole + 1) * state_size;
	RateCorrector *rc = calloc(1, sizeof *rc + (ring_floats + state_size) * sizeof(float));
	if (!rc) {
		model_error_set(err, MODEL_ERR_NOMEM, "rate correction: out of memory");
		return NULL;
	}
	rc->net = net;
	rc->inputs = lstm_net_inputs(net);
	rc->state_size = state_size;
	rc->whole = whole;
	rc->frac = (float)(ratio - whole);
	rc->ring_len = whole + 1;
	rc->mix = rc->ring + ring_floats;
	rate_corrector_reset(rc);
	return rc;
}

void rate_corrector_destroy(RateCorrector *rc) { free(rc); }

void rate_corrector_reset(RateCorrector *rc)
{
	lstm_net_reset(rc->net);
	lstm_net_get_state(rc->net, rc->ring);
	for (int k = 1; k < rc->ring_len; k++)
		memcpy(rc->ring + (size_t)k * rc->state_size, rc->ring, rc->state_size * sizeof *rc->ring);
	rc->head = 0;
}

void rate_corrector_process(RateCorrector *rc, const float *const *inputs, float *out, uint32_t n)
{
	const size_t S = rc->state_size;
	const int len = rc->ring_len;
	const float f = rc->frac, g = 1.0f - rc->frac;
	float x[MODEL_MAX_INPUTS];
	int head = rc->head;
	for (uint32_t t = 0; t < n; t++) {
		// S[t-n] sits n-1 slots behind the head; S[t-n-1] is the oldest, the slot after it.
		const int near = (head - rc->whole + 1 + len) % len;
		const int far = (head + 1) % len;
		const float *a = rc->ring + (size_t)near * S;
		if (f == 0.0f) {
			lstm_net_set_state(rc->net, a);
		} else {
			const float *b = rc->ring + (size_t)far * S;
			for (size_t i = 0; i < S; i++)
				rc->mix[i] = g * a[i] + f * b[i];
			lstm_net_set_state(rc->net, rc->mix);
		}
		for (int c = 0; c < rc->inputs; c++)
			x[c] = inputs[c][t];
		out[t] = lstm_net_process_frame(rc->net, x);
		// The oldest slot has been read: the new state replaces it.
		head = far;
		lstm_net_get_state(rc->net, rc->ring + (size_t)head * S);
	}
	rc->head = head;
}
