// SPDX-License-Identifier: ISC
// "What is trained is what plays": the trainer's float32 forward pass (every kernel table this
// CPU runs) against the engine (lstm_net, exact activations) on the exported ModelDesc, for
// each cell type, one and two layers, skip, and conditioning inputs, over 3000 samples.
// Tolerance against the engine's scalar path (libm activations): 1e-5 of max(1, output peak),
// measured under 3e-6; against its best ISA (its own vectorised exact activations, another
// summation order): 5e-5, measured under 2e-5 (the peephole cell carries rounding furthest).
#undef NDEBUG
#include "check.h"
#include "lstm_net.h"
#include "train_kernels.h"
#include "train_model.h"
#include "train_net.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 3000, CHUNK = 700 };

static double max_diff(const TrainKernels *K, const TrainShape *s, LstmIsa isa, double *level_out)
{
	const size_t np = train_shape_param_count(s);
	float *params = malloc(np * sizeof(float));
	float *x = malloc((size_t)N * (size_t)s->inputs * sizeof(float));
	float *y = malloc((size_t)N * sizeof(float)), *ye = malloc((size_t)N * sizeof(float));
	assert(params && x && y && ye);
	train_params_init(s, params, 99, 1.0f);
	for (size_t j = 0; j < np; j++)
		params[j] *= 2.0f;
	TrainRng rng = {5};
	for (long i = 0; i < N; i++) {
		x[i * s->inputs] =
			(float)(0.8 * sin(0.013 * (double)i) + 0.2 * (2 * train_rng_uniform(&rng) - 1));
		for (int c = 1; c < s->inputs; c++)
			x[i * s->inputs + c] = (float)(0.25 * c); // knob values, constant
	}
	TrainParams P;
	train_params_bind(s, params, &P);
	TrainForwardWeights fw;
	TrainNet net;
	assert(train_forward_weights_init(&fw, s) == 0);
	assert(train_net_init(&net, s, 1, CHUNK, K) == 0);
	train_forward_weights_update(&fw, &P);
	train_net_reset(&net);
	for (int off = 0; off < N; off += CHUNK) {
		int T = N - off < CHUNK ? N - off : CHUNK;
		train_net_forward(&net, &P, &fw, x + (long)off * s->inputs, T);
		memcpy(y + off, net.y, (size_t)T * sizeof(float));
	}
	ModelDesc m;
	assert(train_params_export(s, params, 48000.0, &m) == 0);
	ModelError err;
	assert(model_desc_validate(&m, &err) == MODEL_OK);
	LstmNetOptions opt = lstm_net_default_options();
	opt.activations = LSTM_ACT_EXACT;
	opt.isa = isa;
	LstmNet *e = lstm_net_create(&m, &opt, &err);
	assert(e);
	for (long i = 0; i < N; i++)
		ye[i] = lstm_net_process_frame(e, x + i * s->inputs);
	double worst = 0, level = 0;
	for (long i = 0; i < N; i++) {
		worst = fmax(worst, fabs((double)y[i] - ye[i]));
		level = fmax(level, fabs((double)ye[i]));
	}
	lstm_net_destroy(e);
	model_desc_free(&m);
	train_net_free(&net);
	train_forward_weights_free(&fw);
	free(params);
	free(x);
	free(y);
	free(ye);
	assert(level > 0.05); // the comparison means something only if the output moves
	*level_out = level;
	return worst;
}

static void test_engine_matches_trainer(void)
{
	const CellType cells[3] = {CELL_LSTM, CELL_GRU, CELL_LSTM_PEEPHOLE};
	const TrainKernels *tables[3] = {train_kernels_scalar(), train_kernels_avx2(),
	                                 train_kernels_avx512()};
	for (int t = 0; t < 3; t++) {
		if (!tables[t])
			continue;
		for (int c = 0; c < 3; c++)
			for (int variant = 0; variant < 3; variant++) {
				TrainShape s = {cells[c], variant == 2 ? 3 : 1, variant == 0 ? 16 : 12,
				                variant == 1 ? 2 : 1, variant != 2};
				double level;
				double d = max_diff(tables[t], &s, LSTM_ISA_SCALAR, &level);
				double da = max_diff(tables[t], &s, LSTM_ISA_AUTO, &level);
				printf("%-6s %-13s inputs %d hidden %2d layers %d skip %d: max |trainer - "
				       "engine| %.2e (engine scalar), %.2e (engine best ISA), output peak "
				       "%.2f\n",
				       tables[t]->name, model_cell_name(s.cell), s.inputs, s.hidden, s.layers,
				       s.skip, d, da, level);
				CHECK(d < 1e-5 * fmax(1.0, level), "%s %s: engine scalar off by %.2e",
				      tables[t]->name, model_cell_name(s.cell), d);
				CHECK(da < 5e-5 * fmax(1.0, level), "%s %s: engine best ISA off by %.2e",
				      tables[t]->name, model_cell_name(s.cell), da);
			}
	}
}

int main(void)
{
	test_engine_matches_trainer();
	return check_result();
}
