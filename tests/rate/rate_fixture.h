// SPDX-License-Identifier: ISC
// Shared by the tests in tests/rate/: the committed 48 kHz test model, the band-limited test
// signal of gen_reference.py evaluated at any rate, the committed references, ESR, and a CHECK
// macro that counts failures. Test code only; allocates freely and aborts when its own data is
// missing.
#ifndef LSTM_RATE_FIXTURE_H
#define LSTM_RATE_FIXTURE_H

#include "check.h"
#include "rate_player.h"

#include <stddef.h>
#include <stdio.h>

// The folder holding gen_reference.py's data; set from argv[1] by each test's main.
extern const char *rate_fixture_data_dir;

// Loads data/model_lstm16_48k.json into m (runs its selftest). Aborts on failure.
void rate_fixture_model(ModelDesc *m);
// Loads data/<name> into m (runs its selftest). Aborts on failure.
void rate_fixture_model_named(ModelDesc *m, const char *name);

// A model whose output is the sum of its `inputs` input channels (skip = inputs, an LSTM-1
// with zero weights, a zero head) at rate: the player's delay shows unblurred. Aborts on
// failure.
void rate_fixture_identity_model(ModelDesc *m, double rate, int inputs);

// frames of the test signal sampled at rate, times gain, as float32. The caller frees.
float *rate_fixture_signal(double rate, size_t frames);
float *rate_fixture_signal_scaled(double rate, size_t frames, double gain);

// data/expected_<rate>.f32; *frames set to its length. The caller frees.
float *rate_fixture_expected(int rate, size_t *frames);
// data/<prefix><rate>.f32 ("expected_ts9_" for the trained model).
float *rate_fixture_expected_named(const char *prefix, int rate, size_t *frames);

// Error-to-signal ratio of y against ref over n frames, with ref's mean taken off both (the
// test model has a large DC output that would flatter the ratio).
double rate_fixture_esr(const float *y, const float *ref, size_t n);

// Renders frames of x through p in blocks of `block` frames into y. Single input channel.
void rate_fixture_render(RatePlayer *p, const float *x, float *y, size_t frames, size_t block);

#endif
