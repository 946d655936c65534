// SPDX-License-Identifier: ISC
// Seeded models, signals and ISA lists for the contract tests.
#include "fixture.h"

#include <math.h>
#include <stdlib.h>

#define L CELL_LSTM
#define G CELL_GRU
#define P CELL_LSTM_PEEPHOLE

// Odd widths (1, 5, 13, 17) leave padding lanes in every ISA's vectors; 40 spans several.
const FixtureShape fixture_shapes[] = {
	{"lstm h1", 1, {L}, 1, 1, 0, 0, ACT_LINEAR, 0},
	{"lstm h8 skip", 1, {L}, 1, 8, 1, 0, ACT_LINEAR, 0},
	// The whole-call kernels' shapes: two blocks of 8 full and partial, one of 16 and two.
	{"lstm h13 skip state", 1, {L}, 1, 13, 1, 0, ACT_LINEAR, 1},
	{"lstm h16", 1, {L}, 1, 16, 0, 0, ACT_LINEAR, 0},
	{"lstm h32 skip state", 1, {L}, 1, 32, 1, 0, ACT_LINEAR, 1},
	{"gru h8 skip state", 1, {G}, 1, 8, 1, 0, ACT_LINEAR, 1},
	{"lstm 2x13 i3 state", 2, {L, L}, 3, 13, 1, 0, ACT_LINEAR, 1},
	{"lstm 3x5 dense tanh", 3, {L, L, L}, 1, 5, 1, 6, ACT_TANH, 0},
	{"gru h1", 1, {G}, 1, 1, 1, 0, ACT_LINEAR, 0},
	{"gru 2x17 i2 state", 2, {G, G}, 2, 17, 0, 0, ACT_LINEAR, 1},
	{"gru h40 dense relu", 1, {G}, 1, 40, 1, 9, ACT_RELU, 0},
	{"peephole h5", 1, {P}, 1, 5, 1, 0, ACT_LINEAR, 0},
	{"peephole 2x8 i4 state", 2, {P, P}, 4, 8, 2, 0, ACT_LINEAR, 1},
	{"mixed lstm gru peephole dense sigmoid", 3, {L, G, P}, 1, 13, 1, 4, ACT_SIGMOID, 1},
};
const int fixture_num_shapes = (int)(sizeof fixture_shapes / sizeof fixture_shapes[0]);

double fixture_uniform(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x / 4294967296.0;
}

static void refill(float *v, size_t n, float scale, uint32_t *rng)
{
	for (size_t k = 0; k < n; k++)
		v[k] = (float)((2.0 * fixture_uniform(rng) - 1.0) * scale);
}

void fixture_describe(ModelDesc *m, const FixtureShape *s)
{
	model_desc_init(m);
	m->inputs = s->inputs;
	m->skip = s->skip;
	m->sample_rate = 48000.0;
	m->num_layers = s->layers;
	int width = s->inputs;
	for (int k = 0; k < s->layers; k++) {
		RecurrentLayerDesc *l = &m->layers[k];
		l->cell = s->cells[k];
		l->inputs = width;
		l->hidden = s->hidden;
		if (model_desc_alloc_layer(l) != 0)
			abort();
		if (s->with_state) {
			l->h0 = fixture_floats((size_t)l->hidden);
			if (l->cell != CELL_GRU)
				l->c0 = fixture_floats((size_t)l->hidden);
		}
		width = l->hidden;
	}
	m->num_dense = s->dense_width ? 2 : 1;
	for (int k = 0; k < m->num_dense; k++) {
		DenseLayerDesc *d = &m->dense[k];
		const int head = k + 1 == m->num_dense;
		d->inputs = width;
		d->outputs = head ? 1 : s->dense_width;
		d->activation = head ? ACT_LINEAR : s->dense_act;
		if (model_desc_alloc_dense(d) != 0)
			abort();
		width = d->outputs;
	}
	ModelError err;
	if (model_desc_validate(m, &err) != MODEL_OK) {
		fprintf(stderr, "fixture %s: invalid model: %s\n", s->name, err.message);
		abort();
	}
}

void fixture_model(ModelDesc *m, const FixtureShape *s, uint32_t seed)
{
	uint32_t rng = seed * 2654435761u + 1u;
	fixture_describe(m, s);
	for (int k = 0; k < m->num_layers; k++) {
		RecurrentLayerDesc *l = &m->layers[k];
		size_t gh = (size_t)model_cell_gates(l->cell) * (size_t)l->hidden;
		float scale = 2.0f / sqrtf((float)l->hidden);
		refill(l->w_ih, gh * (size_t)l->inputs, 1.5f, &rng);
		refill(l->w_hh, gh * (size_t)l->hidden, scale, &rng);
		refill(l->b_ih, gh, 0.5f, &rng);
		refill(l->b_hh, gh, 0.5f, &rng);
		if (l->peephole)
			refill(l->peephole, 3 * (size_t)l->hidden, 0.5f, &rng);
		if (l->h0)
			refill(l->h0, (size_t)l->hidden, 0.8f, &rng);
		if (l->c0)
			refill(l->c0, (size_t)l->hidden, 1.5f, &rng);
	}
	for (int k = 0; k < m->num_dense; k++) {
		DenseLayerDesc *d = &m->dense[k];
		refill(d->w, (size_t)d->outputs * (size_t)d->inputs, 1.0f / sqrtf((float)d->inputs), &rng);
		refill(d->b, (size_t)d->outputs, 0.1f, &rng);
	}
}

float *fixture_floats(size_t n)
{
	float *v = calloc(n, sizeof(float));
	if (!v)
		abort();
	return v;
}

// Filled on the first call (the tests run on one thread).
static FixturePath paths[6];
static int num_paths = -1;

static void list_paths(void)
{
	static const LstmIsa isas[] = {LSTM_ISA_SCALAR, LSTM_ISA_AVX2, LSTM_ISA_AVX512};
	num_paths = 0;
	for (int k = 0; k < 3; k++)
		for (int fast = 0; fast < 2 && lstm_isa_supported(isas[k]); fast++) {
			FixturePath *p = &paths[num_paths++];
			p->isa = isas[k];
			p->act = fast ? LSTM_ACT_FAST : LSTM_ACT_EXACT;
			snprintf(p->name, sizeof p->name, "%s %s", lstm_isa_name(p->isa),
			         fast ? "fast" : "exact");
		}
}

int fixture_num_paths(void)
{
	if (num_paths < 0)
		list_paths();
	return num_paths;
}

const FixturePath *fixture_path(int p)
{
	fixture_num_paths();
	return &paths[p];
}

float *fixture_signal(size_t n, int channel, uint32_t seed)
{
	float *buf = fixture_floats(n);
	uint32_t rng = seed * 747796405u + 2891336453u + (uint32_t)channel;
	if (channel > 0) {
		float v = (float)fixture_uniform(&rng);
		for (size_t t = 0; t < n; t++) {
			if (t % 97 == 0)
				v = (float)fixture_uniform(&rng);
			buf[t] = v;
		}
		return buf;
	}
	// Notes of a few hundred samples each: harmonics under a decaying envelope, some silent.
	size_t t = 0;
	while (t < n) {
		size_t len = 100 + (size_t)(fixture_uniform(&rng) * 400.0);
		double f = 0.005 + 0.05 * fixture_uniform(&rng); // cycles per sample
		double amp = fixture_uniform(&rng) < 0.15 ? 0.0 : 0.3 + 0.69 * fixture_uniform(&rng);
		double decay = 0.002 + 0.01 * fixture_uniform(&rng);
		for (size_t k = 0; k < len && t < n; k++, t++) {
			double env = amp * exp(-decay * (double)k) * (1.0 - exp(-0.2 * (double)k));
			double s = sin(6.283185307179586 * f * (double)k)
			           + 0.4 * sin(6.283185307179586 * 2.0 * f * (double)k + 0.5)
			           + 0.2 * sin(6.283185307179586 * 3.0 * f * (double)k + 1.0);
			buf[t] = (float)(env * s / 1.6);
		}
	}
	return buf;
}

LstmNet *fixture_net(const ModelDesc *m, const FixturePath *path)
{
	LstmNetOptions opt = {path->act, path->isa};
	ModelError err;
	LstmNet *net = lstm_net_create(m, &opt, &err);
	if (!net) {
		fprintf(stderr, "fixture: cannot build a %s network: %s\n", path->name, err.message);
		abort();
	}
	return net;
}
