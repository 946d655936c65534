// SPDX-License-Identifier: ISC
// The stacked network over a chunk (see train_net.h): layer by layer forward, then the head;
// backward in the reverse order, passing dL/dh down through two ping-pong buffers.
#include "train_net.h"

#include "train_layers.h"

#include <stdlib.h>
#include <string.h>

static int gates_of(const TrainShape *s) { return model_cell_gates(s->cell); }

// The layout of a TrainForwardWeights.
static size_t forward_weights_lay_out(void *owner, real *base)
{
	TrainForwardWeights *fw = owner;
	const TrainShape *s = &fw->shape;
	const size_t gh = (size_t)gates_of(s) * (size_t)s->hidden;
	TrainCarver c = {base, 0};
	for (int k = 0; k < s->layers; k++) {
		fw->wt_ih[k] = train_carve(&c, gh * (size_t)train_shape_layer_inputs(s, k));
		fw->wt_hh[k] = train_carve(&c, gh * (size_t)s->hidden);
		fw->bias[k] = train_carve(&c, gh);
	}
	return c.at;
}

int train_forward_weights_init(TrainForwardWeights *fw, const TrainShape *s)
{
	*fw = (TrainForwardWeights){.shape = *s};
	return train_alloc_laid_out(&fw->mem, forward_weights_lay_out, fw);
}

void train_forward_weights_free(TrainForwardWeights *fw)
{
	free(fw->mem);
	fw->mem = NULL;
}

static void transpose(int rows, int cols, const real *in, real *out)
{
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++)
			out[(size_t)c * (size_t)rows + (size_t)r] = in[(size_t)r * (size_t)cols + (size_t)c];
}

void train_forward_weights_update(TrainForwardWeights *fw, const TrainParams *p)
{
	const TrainShape *s = &fw->shape;
	const int gh = gates_of(s) * s->hidden;
	for (int k = 0; k < s->layers; k++) {
		transpose(gh, train_shape_layer_inputs(s, k), p->w_ih[k], fw->wt_ih[k]);
		transpose(gh, s->hidden, p->w_hh[k], fw->wt_hh[k]);
		for (int j = 0; j < gh; j++)
			fw->bias[k][j] = s->cell == CELL_GRU ? p->b_ih[k][j] : p->b_ih[k][j] + p->b_hh[k][j];
	}
}

// The layout of a TrainNet's buffers.
static size_t net_lay_out(void *owner, real *base)
{
	TrainNet *net = owner;
	const TrainShape *s = &net->shape;
	const size_t R = (size_t)net->rows, T = (size_t)net->tmax, H = (size_t)s->hidden;
	const size_t G = (size_t)gates_of(s) * H;
	const size_t dg = (size_t)TRAIN_GRAD_BLOCK * R * G; // each of dgx, dgh
	TrainCarver c = {base, 0};
	for (int k = 0; k < s->layers; k++) {
		net->h[k] = train_carve(&c, (T + 1) * R * H);
		net->gates[k] = train_carve(&c, T * R * G);
		net->state_h[k] = train_carve(&c, R * H);
		net->state_c[k] = train_carve(&c, R * H);
		if (s->cell != CELL_GRU) {
			net->c[k] = train_carve(&c, (T + 1) * R * H);
			net->tc[k] = train_carve(&c, T * R * H);
		} else {
			net->gh[k] = train_carve(&c, T * R * G);
		}
	}
	net->y = train_carve(&c, T * R);
	net->dgx = train_carve(&c, dg);
	net->dgh = train_carve(&c, dg);
	net->dh0 = train_carve(&c, T * R * H);
	net->dh1 = train_carve(&c, T * R * H);
	net->dc = train_carve(&c, R * H);
	return c.at;
}

int train_net_init(TrainNet *net, const TrainShape *s, int rows, int tmax, const TrainKernels *K)
{
	*net = (TrainNet){.shape = *s, .rows = rows, .tmax = tmax, .K = K};
	return train_alloc_laid_out(&net->mem, net_lay_out, net);
}

void train_net_free(TrainNet *net)
{
	free(net->mem);
	net->mem = NULL;
}

void train_net_reset(TrainNet *net)
{
	const size_t rh = (size_t)net->rows * (size_t)net->shape.hidden;
	for (int k = 0; k < net->shape.layers; k++) {
		memset(net->state_h[k], 0, rh * sizeof(real));
		memset(net->state_c[k], 0, rh * sizeof(real));
	}
}

void train_net_forward(TrainNet *net, const TrainParams *p, const TrainForwardWeights *fw,
                       const real *x, int T)
{
	const TrainShape *s = &net->shape;
	const int R = net->rows, H = s->hidden;
	const long RH = (long)R * H;
	const size_t rh = (size_t)RH * sizeof(real);
	const real *in = x;
	int I = s->inputs;
	net->last_t = T;
	for (int k = 0; k < s->layers; k++) {
		memcpy(net->h[k], net->state_h[k], rh);
		if (s->cell == CELL_GRU) {
			train_gru_forward(net->K, T, R, I, H, in, fw->wt_ih[k], fw->wt_hh[k], fw->bias[k],
			                  p->b_hh[k], net->gh[k], net->gates[k], net->h[k]);
		} else {
			memcpy(net->c[k], net->state_c[k], rh);
			train_lstm_forward(net->K, T, R, I, H, in, fw->wt_ih[k], fw->wt_hh[k], fw->bias[k],
			                   p->peep[k], net->gates[k], net->c[k], net->tc[k], net->h[k]);
			memcpy(net->state_c[k], net->c[k] + T * RH, rh);
		}
		memcpy(net->state_h[k], net->h[k] + T * RH, rh);
		in = net->h[k] + RH;
		I = H;
	}
	train_dense_forward((long)T * R, H, in, p->head_w, p->head_b, x, s->inputs, s->skip, net->y);
}

void train_net_backward(TrainNet *net, const TrainParams *p, const real *x, const real *dy,
                        const TrainParams *grad)
{
	const TrainShape *s = &net->shape;
	const int R = net->rows, H = s->hidden, T = net->last_t;
	const long RH = (long)R * H;
	const int top = s->layers - 1;
	real *dh = net->dh0, *dnext = net->dh1;
	train_dense_backward((long)T * R, H, net->h[top] + RH, p->head_w, dy, dh, grad->head_w,
	                     grad->head_b);
	for (int k = top; k >= 0; k--) {
		const int I = train_shape_layer_inputs(s, k);
		const real *in = k == 0 ? x : net->h[k - 1] + RH;
		real *dx = k == 0 ? NULL : dnext;
		if (s->cell == CELL_GRU)
			train_gru_backward(net->K, T, R, I, H, in, p->w_ih[k], p->w_hh[k], net->gh[k],
			                   net->gates[k], net->h[k], dh, net->dgx, net->dgh, net->dc,
			                   grad->w_ih[k], grad->w_hh[k], grad->b_ih[k], grad->b_hh[k], dx);
		else
			train_lstm_backward(net->K, T, R, I, H, in, p->w_ih[k], p->w_hh[k], p->peep[k],
			                    net->gates[k], net->c[k], net->tc[k], net->h[k], dh, net->dgx,
			                    net->dc, grad->w_ih[k], grad->w_hh[k], grad->b_ih[k], grad->b_hh[k],
			                    grad->peep[k], dx);
		real *t = dh;
		dh = dnext;
		dnext = t;
	}
}
