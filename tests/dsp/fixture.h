// SPDX-License-Identifier: ISC
// Shared by the contract tests: seeded random models of every shape the engine supports, the
// paths through the engine this CPU runs, test signals, and a CHECK macro that counts failures.
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

// Fills m (initialised here) with shape s and its arrays, zero; h0/c0 only with_state. Aborts
// if memory runs out or the shape is not one the engine takes.
void fixture_describe(ModelDesc *m, const FixtureShape *s);

// A path through the engine: an instruction set with one set of activations.
typedef struct {
	LstmIsa isa;
	LstmActivations act;
	char name[32]; // e.g. "avx2 fast"
} FixturePath;

// The paths this CPU runs: each instruction set lstm_isa_supported() reports (scalar first),
// with exact and with fast activations. fixture_path(p) for p < fixture_num_paths().
int fixture_num_paths(void);
const FixturePath *fixture_path(int p);

// n frames of channel c of a seeded test signal, allocated: c == 0 a guitar-like signal peaking
// near 1 with quiet stretches; c > 0 a conditioning value stepping around 0..1.
float *fixture_signal(size_t n, int channel, uint32_t seed);

// n zeroed floats, or abort: tests only ask for what a test needs.
float *fixture_floats(size_t n);

// A network or abort with the reason: tests only build models they know are valid.
LstmNet *fixture_net(const ModelDesc *m, const FixturePath *path);

// Uniform in [0, 1) from a xorshift state.
double fixture_uniform(uint32_t *state);

// Number of failed CHECKs so far; main returns nonzero when it is.

#endif
