// SPDX-License-Identifier: ISC
// A stack of recurrent layers plus the linear head, run forward and backward over a chunk of
// time for R sequences: the part of a batch one thread owns. It keeps the caches of the last
// forward call and the recurrent state carried from one chunk to the next (truncated BPTT).
#ifndef TRAIN_NET_H
#define TRAIN_NET_H

#include "train_kernels.h"
#include "train_model.h"

// The forward pass wants the weights transposed ([in][G*H]) and the LSTM biases summed; this
// copy is refreshed after each optimiser step.
typedef struct {
	TrainShape shape;
	real *wt_ih[MODEL_MAX_LAYERS]; // [I_k][G*H]
	real *wt_hh[MODEL_MAX_LAYERS]; // [H][G*H]
	real *bias[MODEL_MAX_LAYERS];  // [G*H] LSTM: b_ih + b_hh; GRU: b_ih
	real *mem;
} TrainForwardWeights;

// Allocates. Returns 0 or -1 when out of memory. Worker thread.
int train_forward_weights_init(TrainForwardWeights *fw, const TrainShape *s);
void train_forward_weights_free(TrainForwardWeights *fw);
// Recomputes the copy from p. Any thread; no allocation.
void train_forward_weights_update(TrainForwardWeights *fw, const TrainParams *p);

typedef struct {
	TrainShape shape;
	int rows;   // R
	int tmax;   // longest chunk
	int last_t; // T of the last forward call
	const TrainKernels *K;
	real *h[MODEL_MAX_LAYERS];     // [tmax+1][R][H], slot 0 the chunk's initial state
	real *c[MODEL_MAX_LAYERS];     // [tmax+1][R][H] (LSTM types)
	real *tc[MODEL_MAX_LAYERS];    // [tmax][R][H] (LSTM types)
	real *gates[MODEL_MAX_LAYERS]; // [tmax][R][G*H] activations
	real *gh[MODEL_MAX_LAYERS];    // [tmax][R][3H] (GRU)
	real *state_h[MODEL_MAX_LAYERS], *state_c[MODEL_MAX_LAYERS]; // [R][H] carried state
	real *y;         // [tmax][R] output of the last forward call
	real *dgx, *dgh; // [R][G*H] scratch for one step
	real *dh0, *dh1; // [tmax][R][H] scratch, ping-pong between layers
	real *dc;        // [R][H] scratch
	real *mem;
} TrainNet;

// Allocates every buffer for R rows and chunks up to tmax steps. Returns 0, or -1 when out of
// memory. Worker thread.
int train_net_init(TrainNet *net, const TrainShape *s, int rows, int tmax, const TrainKernels *K);
void train_net_free(TrainNet *net);
// Zero state. Any thread.
void train_net_reset(TrainNet *net);
// Runs T <= tmax steps from the carried state; x [T][R][inputs]; output in net->y [T][R];
// the state at the end is carried to the next call. p gives the biases, peepholes and head;
// fw the transposed weights of the same parameters. Any thread; no allocation.
void train_net_forward(TrainNet *net, const TrainParams *p, const TrainForwardWeights *fw,
                       const real *x, int T);
// Backward through the last forward call: dy [T][R] = dL/dy. Adds into grad (a TrainParams
// view of the gradient block). p holds the untransposed parameters. Any thread.
void train_net_backward(TrainNet *net, const TrainParams *p, const real *x, const real *dy,
                        const TrainParams *grad);

#endif
