// SPDX-License-Identifier: ISC
// Internal to rate/: the recurrent-state correction path. The network runs at the host rate;
// before each frame its state is set to the state it had r = host/model frames ago (linearly
// interpolated between the two nearest past states when r is not whole), so one step of the
// recurrence spans one model-rate period. Built only on the engine's public state API.
#ifndef LSTM_RATE_CORRECT_H
#define LSTM_RATE_CORRECT_H

#include "lstm_net.h"

#include <stdint.h>

typedef struct RateCorrector RateCorrector;

// Worker thread: allocates a ring of floor(ratio) + 1 past states. ratio > 1. Does not own net.
// Returns NULL with err filled on failure.
RateCorrector *rate_corrector_create(LstmNet *net, double ratio, ModelError *err);
void rate_corrector_destroy(RateCorrector *rc);
// Audio thread. out may alias inputs[0].
void rate_corrector_process(RateCorrector *rc, const float *const *inputs, float *out, uint32_t n);
// Resets the network and fills the ring with its initial state. Audio thread.
void rate_corrector_reset(RateCorrector *rc);

#endif
