// SPDX-License-Identifier: ISC
// Shared by the contract tests: seeded random models of every shape the engine supports, the
// list of instruction sets this CPU runs, test signals, and a CHECK macro that counts failures.
// Test code only; allocates freely.
#ifndef LSTM_TEST_FIXTURE_H
#define LSTM_TEST_FIXTURE_H

#include "check.h"
#include "lstm_net.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

// One model shape. cells[k] for each of `layers` recurrent layers (all `hidden` wide).
typedef struct {
	const char *name;
	int layers;
	CellType cells[MODEL_MAX_LAYERS];
	int inputs;
	int hidden;
	int skip;
	int dense_width;      // 0: the head only; else a hidden dense layer this wide first
	Activation dense_act; // its activation
	int with_state;       // nonzero h0 (and c0 for LSTM types)
} FixtureShape;

extern const FixtureShape fixture_shapes[];
extern const int fixture_num_shapes;

// Fills m (initialised here) with seeded weights for shape s, scaled like a trained network so
// the gates leave their linear region. Aborts if memory runs out.
void fixture_model(ModelDesc *m, const FixtureShape *s, uint32_t seed);

// The instruction sets lstm_isa_supported() reports, LSTM_ISA_SCALAR first; returns the count.
int fixture_isas(LstmIsa out[3]);

// Channel c of a seeded test signal: c == 0 a guitar-like signal peaking near 1 with quiet
// stretches; c > 0 a conditioning value stepping around 0..1.
void fixture_signal(float *buf, size_t n, int channel, uint32_t seed);

// A network or abort with the reason: tests only build models they know are valid.
LstmNet *fixture_net(const ModelDesc *m, LstmIsa isa, LstmActivations act);

// Uniform in [0, 1) from a xorshift state.
double fixture_uniform(uint32_t *state);

// Number of failed CHECKs so far; main returns nonzero when it is.

#endif
