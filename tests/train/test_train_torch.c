// SPDX-License-Identifier: ISC
// The float32 trainer against PyTorch (torch_reference.json, written by the seeded
// gen_torch_reference.py with Debian's python3-torch): for a small LSTM and GRU with a linear
// head and skip, the loss and every gradient of one step from the same initial weights and
// data, and the losses of 10 Adam steps of truncated BPTT with the state carried.
// Tolerances (float32 against float32 with a different summation order): loss 1e-5 relative;
// gradients 1e-5 of the largest gradient; trajectory losses 5e-5 relative; final weights 1e-5
// (measured: about 1e-7, 4e-6 and 6e-7).
#undef NDEBUG
#include "train_loss.h"
#include "train_model.h"
#include "train_net.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float *floats(json_t *c, const char *key, size_t want)
{
	json_t *a = json_object_get(c, key);
	assert(json_is_array(a) && json_array_size(a) == want);
	float *v = malloc(want * sizeof(float));
	assert(v);
	for (size_t i = 0; i < want; i++)
		v[i] = (float)json_number_value(json_array_get(a, i));
	return v;
}

static double step_loss(TrainNet *net, const TrainParams *P, const TrainForwardWeights *fw,
                        const PreEmphasis *pe, const float *x, const float *t, int T, int B,
                        const TrainParams *G, float *e, float *dy)
{
	train_net_forward(net, P, fw, x, T);
	LossSums sums = {0};
	train_loss_target_sums(pe, t, T, B, &sums);
	LossNorm norm;
	train_loss_norm(&sums, T, 0.75, 0.25, &norm);
	double loss = train_loss_esr_dc_forward(pe, &norm, net->y, t, B, NULL);
	train_loss_esr_dc_backward(pe, &norm, net->y, t, B, e, dy);
	train_net_backward(net, P, x, dy, G);
	return loss;
}

static int check_case(json_t *c)
{
	const char *cell = json_string_value(json_object_get(c, "cell"));
	const int T = (int)json_integer_value(json_object_get(c, "T"));
	const int B = (int)json_integer_value(json_object_get(c, "B"));
	const int H = (int)json_integer_value(json_object_get(c, "H"));
	const int S = (int)json_integer_value(json_object_get(c, "steps"));
	TrainShape s = {strcmp(cell, "gru") == 0 ? CELL_GRU : CELL_LSTM, 1, H, 1, 1};
	const size_t np = train_shape_param_count(&s), n = (size_t)T * (size_t)S * (size_t)B;
	float *params = floats(c, "params", np), *grads_ref = floats(c, "grads", np);
	float *final_ref = floats(c, "final_params", np);
	float *x = floats(c, "x", n), *t = floats(c, "t", n);
	float *losses_ref = floats(c, "losses", (size_t)S);
	float *grad = calloc(np, sizeof(float)), *m = calloc(np, sizeof(float));
	float *v = calloc(np, sizeof(float));
	float *e = calloc((size_t)T * B, sizeof(float)), *dy = calloc((size_t)T * B, sizeof(float));
	assert(grad && m && v && e && dy);
	TrainParams P, G;
	train_params_bind(&s, params, &P);
	train_params_bind(&s, grad, &G);
	TrainForwardWeights fw;
	TrainNet net;
	assert(train_forward_weights_init(&fw, &s) == 0);
	assert(train_net_init(&net, &s, B, T, train_kernels_best(0)) == 0);
	PreEmphasis pe;
	preemph_design(&pe, PREEMPH_FIRST, 0.85, 48000.0);
	train_forward_weights_update(&fw, &P);
	train_net_reset(&net);
	double loss = step_loss(&net, &P, &fw, &pe, x, t, T, B, &G, e, dy);
	double loss_ref = json_number_value(json_object_get(c, "loss"));
	double gmax = 0, gerr = 0;
	for (size_t j = 0; j < np; j++) {
		gmax = fmax(gmax, fabs(grads_ref[j]));
		gerr = fmax(gerr, fabs(grad[j] - grads_ref[j]));
	}
	int fails = 0;
	printf("%s one step: loss %.8f vs torch %.8f; largest gradient error %.2e of %.3g\n", cell,
	       loss, loss_ref, gerr, gmax);
	fails += !(fabs(loss - loss_ref) <= 1e-5 * fabs(loss_ref));
	fails += !(gerr <= 1e-5 * gmax);
	// Ten steps, state carried.
	train_net_reset(&net);
	double lerr = 0;
	for (int k = 0; k < S; k++) {
		memset(grad, 0, np * sizeof(float));
		const size_t off = (size_t)k * (size_t)T * (size_t)B;
		double l = step_loss(&net, &P, &fw, &pe, x + off, t + off, T, B, &G, e, dy);
		train_adam_update(params, grad, m, v, np, 5e-3, 0.9, 0.999, 1e-8, k + 1);
		train_forward_weights_update(&fw, &P);
		lerr = fmax(lerr, fabs(l - losses_ref[k]) / fabs(losses_ref[k]));
		printf("  step %2d loss %.7f torch %.7f\n", k + 1, l, (double)losses_ref[k]);
	}
	double perr = 0;
	for (size_t j = 0; j < np; j++)
		perr = fmax(perr, fabs(params[j] - final_ref[j]));
	printf("%s 10 steps: largest relative loss error %.2e, largest weight error %.2e\n", cell, lerr,
	       perr);
	fails += !(lerr <= 5e-5);
	fails += !(perr <= 1e-5);
	train_net_free(&net);
	train_forward_weights_free(&fw);
	free(params);
	free(grads_ref);
	free(final_ref);
	free(x);
	free(t);
	free(losses_ref);
	free(grad);
	free(m);
	free(v);
	free(e);
	free(dy);
	return fails;
}

int main(int argc, char **argv)
{
	assert(argc == 2);
	json_error_t je;
	json_t *root = json_load_file(argv[1], 0, &je);
	if (!root) {
		fprintf(stderr, "%s: %s\n", argv[1], je.text);
		return 1;
	}
	json_t *cases = json_object_get(root, "cases");
	assert(json_array_size(cases) == 2);
	int fails = 0;
	for (size_t k = 0; k < json_array_size(cases); k++)
		fails += check_case(json_array_get(cases, k));
	json_decref(root);
	if (fails) {
		fprintf(stderr, "FAIL: %d comparisons with PyTorch over tolerance\n", fails);
		return 1;
	}
	return 0;
}
