// SPDX-License-Identifier: ISC
// Every parameter gradient of the hand-written backward pass (LSTM, GRU, peephole LSTM, two
// layers, skip, conditioning inputs, each pre-emphasis) against central finite differences of
// the loss, all in double (library lstm_train_f64), step 1e-5. Tolerance: |a - n| /
// (max(|a|, |n|) + 1e-4) below 1e-5 for every parameter; the 1e-4 floor covers the rounding
// noise of the differences (about 1e-10 absolute at a loss near 1). A wrong term in any
// backward formula gives errors of order 1 here.
#undef NDEBUG
#include "check.h"
#include "train_loss.h"
#include "train_model.h"
#include "train_net.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T = 9, R = 3 };

typedef struct {
	TrainShape s;
	TrainNet net;
	TrainForwardWeights fw;
	PreEmphasis pe;
	LossNorm norm;
	double *x, *t, *e, *dy;
	double *params, *grad;
	TrainParams P, G;
	size_t np;
} Case;

// The state the chunk starts from: computed once with the unperturbed weights and held fixed,
// as truncated BPTT does (no gradient flows into it).
static double saved_h[MODEL_MAX_LAYERS][R * 5], saved_c[MODEL_MAX_LAYERS][R * 5];

static void warm_up(Case *c)
{
	train_params_bind(&c->s, c->params, &c->P);
	train_forward_weights_update(&c->fw, &c->P);
	train_net_reset(&c->net);
	train_net_forward(&c->net, &c->P, &c->fw, c->x, 4);
	for (int k = 0; k < c->s.layers; k++) {
		memcpy(saved_h[k], c->net.state_h[k], sizeof saved_h[k]);
		memcpy(saved_c[k], c->net.state_c[k], sizeof saved_c[k]);
	}
}

static double loss_of(Case *c)
{
	train_params_bind(&c->s, c->params, &c->P);
	train_forward_weights_update(&c->fw, &c->P);
	for (int k = 0; k < c->s.layers; k++) {
		memcpy(c->net.state_h[k], saved_h[k], sizeof saved_h[k]);
		memcpy(c->net.state_c[k], saved_c[k], sizeof saved_c[k]);
	}
	train_net_forward(&c->net, &c->P, &c->fw, c->x + 4 * R * c->s.inputs, T);
	return train_loss_esr_dc_forward(&c->pe, &c->norm, c->net.y, c->t, R, NULL);
}

static void check_case(CellType cell, int layers, int inputs, int skip, PreEmphasisKind pk)
{
	Case c;
	memset(&c, 0, sizeof c);
	c.s.cell = cell;
	c.s.inputs = inputs;
	c.s.hidden = 5;
	c.s.layers = layers;
	c.s.skip = skip;
	c.np = train_shape_param_count(&c.s);
	c.params = calloc(c.np, sizeof(double));
	c.grad = calloc(c.np, sizeof(double));
	const int total = 4 + T;
	c.x = calloc((size_t)(total * R * inputs), sizeof(double));
	c.t = calloc((size_t)(T * R), sizeof(double));
	c.e = calloc((size_t)(T * R), sizeof(double));
	c.dy = calloc((size_t)(T * R), sizeof(double));
	assert(c.params && c.grad && c.x && c.t && c.e && c.dy);
	assert(train_net_init(&c.net, &c.s, R, T, train_kernels_scalar()) == 0);
	assert(train_forward_weights_init(&c.fw, &c.s) == 0);
	train_params_init(&c.s, c.params, 7 + (uint64_t)cell, 1.0);
	TrainRng rng = {42};
	// Larger weights than the default so every gate sits away from its linear region.
	for (size_t j = 0; j < c.np; j++)
		c.params[j] *= 2.5;
	for (int j = 0; j < total * R * inputs; j++)
		c.x[j] = 2.0 * train_rng_uniform(&rng) - 1.0;
	for (int j = 0; j < T * R; j++)
		c.t[j] = 0.5 * (2.0 * train_rng_uniform(&rng) - 1.0) + 0.1;
	// At 48 kHz the A-weighting sections barely move in 9 samples; at 2 kHz they do.
	preemph_design(&c.pe, pk, 0.85, pk == PREEMPH_AWEIGHT ? 2000.0 : 48000.0);
	LossSums sums = {0};
	train_loss_target_sums(&c.pe, c.t, T, R, &sums);
	train_loss_norm(&sums, T, 0.75, 0.25, &c.norm);

	warm_up(&c);
	double l0 = loss_of(&c);
	train_loss_esr_dc_backward(&c.pe, &c.norm, c.net.y, c.t, R, c.e, c.dy);
	train_params_bind(&c.s, c.grad, &c.G);
	train_net_backward(&c.net, &c.P, c.x + 4 * R * inputs, c.dy, &c.G);

	double gmax = 0.0;
	for (size_t j = 0; j < c.np; j++)
		gmax = fmax(gmax, fabs(c.grad[j]));
	double worst = 0.0;
	size_t worst_j = 0;
	double worst_a = 0.0, worst_n = 0.0;
	const double h = 1e-5;
	for (size_t j = 0; j < c.np; j++) {
		double keep = c.params[j];
		c.params[j] = keep + h;
		double lp = loss_of(&c);
		c.params[j] = keep - h;
		double lm = loss_of(&c);
		c.params[j] = keep;
		double num = (lp - lm) / (2 * h);
		double scale = fmax(fabs(num), fabs(c.grad[j])) + 1e-4;
		double rel = fabs(num - c.grad[j]) / scale;
		if (rel > worst) {
			worst = rel;
			worst_j = j;
			worst_a = c.grad[j];
			worst_n = num;
		}
	}
	printf("%-13s layers %d inputs %d skip %d preemph %d: loss %.6f, %zu params, worst "
	       "relative error %.2e (param %zu: %.9g vs %.9g, largest %.3g)\n",
	       model_cell_name(cell), layers, inputs, skip, (int)pk, l0, c.np, worst, worst_j, worst_a,
	       worst_n, gmax);
	train_net_free(&c.net);
	train_forward_weights_free(&c.fw);
	free(c.params);
	free(c.grad);
	free(c.x);
	free(c.t);
	free(c.e);
	free(c.dy);
	CHECK(worst < 1e-5 && l0 > 0 && gmax > 0,
	      "%s layers %d inputs %d skip %d preemph %d: relative error %.2e, loss %g, largest "
	      "gradient %g",
	      model_cell_name(cell), layers, inputs, skip, (int)pk, worst, l0, gmax);
}

static void test_gradients(void)
{
	check_case(CELL_LSTM, 1, 1, 1, PREEMPH_FIRST);
	check_case(CELL_LSTM, 1, 1, 0, PREEMPH_NONE);
	check_case(CELL_GRU, 1, 1, 1, PREEMPH_FIRST);
	check_case(CELL_LSTM_PEEPHOLE, 1, 1, 1, PREEMPH_FIRST);
	check_case(CELL_LSTM, 2, 1, 1, PREEMPH_FIRST);
	check_case(CELL_GRU, 2, 3, 1, PREEMPH_AWEIGHT);
	check_case(CELL_LSTM_PEEPHOLE, 2, 3, 0, PREEMPH_AWEIGHT);
	check_case(CELL_LSTM, 1, 4, 1, PREEMPH_AWEIGHT);
}

int main(void)
{
	test_gradients();
	return check_result();
}
