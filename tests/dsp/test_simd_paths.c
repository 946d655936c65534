// SPDX-License-Identifier: ISC
// Runs random models (seeded PRNG: LSTM, peephole LSTM and GRU layers, hidden sizes 1 to 128,
// 1 to 4 layers, 1 to 4 inputs, dense layers with every activation, skip on and off) through
// every instruction set this CPU supports and compares each with the scalar reference path:
//   - same activations (exact with exact, fast with fast): outputs within SAME_ACT_TOL absolute
//     (outputs are O(1); 4096 frames, 1024 for H = 32, 512 for H >= 64), the final state within
//     STATE_SCALE * SAME_ACT_TOL relative to max(1, |s|); the paths differ only in FMA rounding
//     and summation order;
//   - fast against exact on the same instruction set: within FAST_EXACT_TOL absolute.
// Also checks that an unsupported or unknown instruction set is refused with a message.
#undef NDEBUG
#include "fixture.h"
#include "lstm_net.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAME_ACT_TOL 1e-5
#define FAST_EXACT_TOL 1e-5
// The state's relative bound is STATE_SCALE times the output's bound.
#define STATE_SCALE 5.0
#define TWO_PI 6.283185307179586
enum { FRAMES = 4096 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng_next(void)
{
	// xorshift64*: small, seeded, the same on every platform.
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static float rng_uniform(float lo, float hi)
{
	return lo + (hi - lo) * (float)(rng_next() >> 8) * (1.0f / 16777216.0f);
}

static int rng_int(int lo, int hi) { return lo + (int)(rng_next() % (uint32_t)(hi - lo + 1)); }

static void fill(float *v, size_t n, float scale)
{
	for (size_t k = 0; k < n; k++)
		v[k] = rng_uniform(-scale, scale);
}

// Random weights at PyTorch's own init scale, 1/sqrt(H): larger recurrent weights make chaotic
// cells, where rounding differences grow without bound and no tolerance means anything.
static void build(ModelDesc *m, const FixtureShape *s)
{
	fixture_describe(m, s);
	for (int k = 0; k < m->num_layers; k++) {
		RecurrentLayerDesc *l = &m->layers[k];
		const size_t gh = (size_t)model_cell_gates(l->cell) * (size_t)l->hidden;
		const float scale = 1.0f / sqrtf((float)l->hidden);
		fill(l->w_ih, gh * (size_t)l->inputs, k == 0 ? 2.0f : scale);
		fill(l->w_hh, gh * (size_t)l->hidden, scale);
		fill(l->b_ih, gh, scale);
		fill(l->b_hh, gh, scale);
		if (l->peephole)
			fill(l->peephole, 3 * (size_t)l->hidden, 0.2f);
		if (l->h0)
			fill(l->h0, (size_t)l->hidden, 0.5f);
		if (l->c0)
			fill(l->c0, (size_t)l->hidden, 1.0f);
	}
	for (int k = 0; k < m->num_dense; k++) {
		DenseLayerDesc *d = &m->dense[k];
		fill(d->w, (size_t)d->outputs * (size_t)d->inputs, 1.0f / sqrtf((float)d->inputs));
		fill(d->b, (size_t)d->outputs, 0.1f);
	}
}

// A guitar-like input: decaying plucked partials, loud enough to drive the cells; controls
// are slow ramps.
static void make_input(float *x[MODEL_MAX_INPUTS], int inputs)
{
	for (int t = 0; t < FRAMES; t++) {
		const double tt = t / 48000.0;
		const double env = exp(-(t % 1024) / 300.0);
		x[0][t] = (float)(env
		                  * (0.6 * sin(TWO_PI * 196.0 * tt) + 0.3 * sin(TWO_PI * 392.0 * tt)
		                     + 0.15 * sin(TWO_PI * 1175.0 * tt)));
		for (int c = 1; c < inputs; c++)
			x[c][t] = (float)(0.5 + 0.5 * sin(TWO_PI * (0.5 + c) * tt + c));
	}
}

typedef struct {
	int frames;
	float y[FRAMES];
	float state[2 * MODEL_MAX_LAYERS * MODEL_MAX_HIDDEN];
	size_t state_size;
} Run;

// Runs the model in uneven blocks; returns 0 when the ISA is not supported here.
static int run(const ModelDesc *m, LstmIsa isa, LstmActivations act, float *const *x, Run *out)
{
	if (!lstm_isa_supported(isa))
		return 0;
	LstmNetOptions opt = {act, isa};
	ModelError err;
	LstmNet *net = lstm_net_create(m, &opt, &err);
	if (!net) {
		fprintf(stderr, "lstm_net_create(%s): %s\n", lstm_isa_name(isa), err.message);
		exit(1);
	}
	assert(lstm_net_isa(net) == isa);
	assert(lstm_net_activations(net) == act);
	const uint32_t frames = (uint32_t)out->frames;
	uint32_t t = 0, block = 1;
	while (t < frames) {
		uint32_t n = block < frames - t ? block : frames - t;
		const float *in[MODEL_MAX_INPUTS];
		for (int c = 0; c < m->inputs; c++)
			in[c] = x[c] + t;
		lstm_net_process(net, in, out->y + t, n);
		t += n;
		block = block * 3 % 509 + 1;
	}
	out->state_size = lstm_net_state_size(net);
	assert(out->state_size <= sizeof out->state / sizeof out->state[0]);
	lstm_net_get_state(net, out->state);
	lstm_net_destroy(net);
	return 1;
}

// Largest output difference, and the final state's difference scaled by STATE_SCALE: relative
// to max(1, |s|), since a cell whose forget gate sits at 1 integrates for thousands of frames
// (|c| = 74 in one of these models) and gathers rounding in proportion.
static double max_diff(const Run *a, const Run *b)
{
	double d = 0.0;
	assert(a->frames == b->frames);
	for (int t = 0; t < a->frames; t++) {
		double e = fabs((double)a->y[t] - (double)b->y[t]);
		if (!(e <= d))
			d = e; // NaN is kept and fails every bound
	}
	assert(a->state_size == b->state_size);
	for (size_t k = 0; k < a->state_size; k++) {
		double e = fabs((double)a->state[k] - (double)b->state[k])
		           / fmax(1.0, fabs((double)b->state[k])) / STATE_SCALE;
		if (!(e <= d))
			d = e;
	}
	return d;
}

static double worst_same, worst_fast;

static void check_model(const FixtureShape *s, float *const *x)
{
	static Run ref[2], got[2];
	ModelDesc m;
	build(&m, s);
	const LstmActivations acts[2] = {LSTM_ACT_EXACT, LSTM_ACT_FAST};
	// Wider models run fewer frames, to keep the test quick (under sanitizers too).
	const int frames = s->hidden >= 64 ? FRAMES / 8 : s->hidden >= 32 ? FRAMES / 4 : FRAMES;
	for (int a = 0; a < 2; a++)
		ref[a].frames = got[a].frames = frames;
	for (int a = 0; a < 2; a++)
		assert(run(&m, LSTM_ISA_SCALAR, acts[a], x, &ref[a]));
	double lo = ref[0].y[0], hi = ref[0].y[0];
	for (int t = 0; t < frames; t++) {
		lo = fmin(lo, (double)ref[0].y[t]);
		hi = fmax(hi, (double)ref[0].y[t]);
	}
	const LstmIsa isas[] = {LSTM_ISA_SCALAR, LSTM_ISA_AVX2, LSTM_ISA_AVX512};
	for (size_t i = 0; i < sizeof isas / sizeof isas[0]; i++) {
		int ok = 1;
		if (isas[i] == LSTM_ISA_SCALAR)
			memcpy(got, ref, sizeof got);
		else
			for (int a = 0; a < 2; a++)
				ok &= run(&m, isas[i], acts[a], x, &got[a]);
		if (!ok)
			continue;
		for (int a = 0; a < 2; a++) {
			const double d = max_diff(&got[a], &ref[a]);
			worst_same = fmax(worst_same, d);
			if (!(d <= SAME_ACT_TOL)) {
				fprintf(stderr,
				        "%s %s vs scalar: max diff %.3g > %.3g (%s H=%d layers=%d inputs=%d "
				        "skip=%d dense=%d %s)\n",
				        lstm_isa_name(isas[i]), a ? "fast" : "exact", d, SAME_ACT_TOL,
				        model_cell_name(s->cells[0]), s->hidden, s->layers, s->inputs, s->skip,
				        s->dense_width, model_activation_name(s->dense_act));
				exit(1);
			}
		}
		const double d = max_diff(&got[1], &got[0]);
		worst_fast = fmax(worst_fast, d);
		if (!(d <= FAST_EXACT_TOL)) {
			fprintf(stderr, "%s fast vs exact: max diff %.3g > %.3g (%s H=%d layers=%d)\n",
			        lstm_isa_name(isas[i]), d, FAST_EXACT_TOL, model_cell_name(s->cells[0]),
			        s->hidden, s->layers);
			exit(1);
		}
	}
	// The comparison means nothing if the model's output is flat.
	if (!(hi - lo > 5e-4)) {
		fprintf(stderr, "flat output %g..%g (%s H=%d layers=%d inputs=%d skip=%d dense=%d %s)\n",
		        lo, hi, model_cell_name(s->cells[0]), s->hidden, s->layers, s->inputs, s->skip,
		        s->dense_width, model_activation_name(s->dense_act));
		exit(1);
	}
	model_desc_free(&m);
}

static void test_random_models(void)
{
	float *x[MODEL_MAX_INPUTS];
	for (int c = 0; c < MODEL_MAX_INPUTS; c++) {
		x[c] = malloc(FRAMES * sizeof(float));
		assert(x[c]);
	}
	make_input(x, MODEL_MAX_INPUTS);
	const CellType cells[] = {CELL_LSTM, CELL_LSTM_PEEPHOLE, CELL_GRU};
	const int hiddens[] = {1, 3, 8, 13, 32, 64, 128};
	const Activation acts[] = {ACT_LINEAR, ACT_TANH, ACT_SIGMOID, ACT_RELU};
	int models = 0;
	for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++) {
		for (size_t h = 0; h < sizeof hiddens / sizeof hiddens[0]; h++) {
			for (int variant = 0; variant < 3; variant++) {
				FixtureShape s = {.name = "random", .hidden = hiddens[h]};
				// Keep the big ones shallow so the test stays quick.
				// Variant 0 is the shape the whole-call kernels serve: one layer, one input,
				// a head.
				const int deepest = hiddens[h] >= 128 ? 1 : hiddens[h] >= 32 ? 2 : 4;
				s.layers = variant == 0 ? 1 : rng_int(1, deepest);
				for (int k = 0; k < s.layers; k++)
					s.cells[k] = cells[c];
				s.inputs = variant == 0 ? 1 : rng_int(1, 4);
				s.skip = rng_int(0, s.inputs);
				s.dense_width = variant == 0 ? 0 : rng_int(3, 24);
				s.dense_act = acts[(c + h + (size_t)variant) % 4];
				s.with_state = variant == 2;
				check_model(&s, x);
				models++;
			}
		}
	}
	printf("%d models; worst same-activation difference %.3g (bound %.3g), worst fast vs exact "
	       "%.3g (bound %.3g)\n",
	       models, worst_same, SAME_ACT_TOL, worst_fast, FAST_EXACT_TOL);
	for (int c = 0; c < MODEL_MAX_INPUTS; c++)
		free(x[c]);
}

static void test_isa_refused(void)
{
	const FixtureShape s = {"lstm h8 skip", 1, {CELL_LSTM}, 1, 8, 1, 0, ACT_LINEAR, 0};
	ModelDesc m;
	build(&m, &s);
	const LstmIsa isas[] = {LSTM_ISA_AVX2, LSTM_ISA_AVX512, (LstmIsa)99};
	for (size_t i = 0; i < sizeof isas / sizeof isas[0]; i++) {
		if (lstm_isa_supported(isas[i]))
			continue;
		LstmNetOptions opt = {LSTM_ACT_FAST, isas[i]};
		ModelError err;
		memset(&err, 0, sizeof err);
		LstmNet *net = lstm_net_create(&m, &opt, &err);
		assert(net == NULL);
		assert(err.status != MODEL_OK);
		assert(strstr(err.message, "cannot run") != NULL);
		printf("isa %d refused: %s\n", (int)isas[i], err.message);
	}
#if defined(__x86_64__)
	assert(lstm_isa_supported(LSTM_ISA_AVX2)
	       == (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")));
	assert(lstm_isa_supported(LSTM_ISA_AVX512)
	       == (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")));
#endif
	// AUTO always builds, and reports the instruction set it chose.
	LstmNet *net = lstm_net_create(&m, NULL, NULL);
	assert(net);
	assert(lstm_net_isa(net) != LSTM_ISA_AUTO && lstm_isa_supported(lstm_net_isa(net)));
	lstm_net_destroy(net);
	model_desc_free(&m);
}

int main(void)
{
	test_isa_refused();
	test_random_models();
	return 0;
}
