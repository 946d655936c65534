// SPDX-License-Identifier: ISC
// The trainable network's shape and its parameters: one flat block of reals with named pointers
// into it, laid out in PyTorch's order (per layer weight_ih, weight_hh, bias_ih, bias_hh, then
// the peephole weights, then the linear head). The same layout serves for parameters,
// gradients and both Adam moments. Also the seeded initialisation and the export into a
// ModelDesc for the engine and the model file.
#ifndef TRAIN_MODEL_H
#define TRAIN_MODEL_H

#include "model_desc.h"
#include "train_real.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
	CellType cell;
	int inputs; // I of layer 0: audio plus conditioning channels
	int hidden; // H of every layer
	int layers; // 1..MODEL_MAX_LAYERS
	int skip;   // 1: y = head(h) + x[0]
} TrainShape;

// Named views into one block. G = 4 (LSTM types) or 3 (GRU); I_k = inputs for k = 0, else H.
typedef struct {
	real *w_ih[MODEL_MAX_LAYERS]; // [G*H][I_k]
	real *w_hh[MODEL_MAX_LAYERS]; // [G*H][H]
	real *b_ih[MODEL_MAX_LAYERS]; // [G*H]
	real *b_hh[MODEL_MAX_LAYERS]; // [G*H]
	real *peep[MODEL_MAX_LAYERS]; // [3][H] p_i, p_f, p_o; NULL unless peephole
	real *head_w;                 // [H]
	real *head_b;                 // [1]
} TrainParams;

// Carves one flat block of reals into named arrays, in order: each call hands out the next n
// reals. With base NULL it only counts (every pointer NULL, at the block's size at the end), so
// one function describes a layout both for sizing the block and for pointing into it.
typedef struct {
	real *base;
	size_t at;
} TrainCarver;

static inline real *train_carve(TrainCarver *c, size_t n)
{
	real *p = c->base ? c->base + c->at : NULL;
	c->at += n;
	return p;
}

// A layout written with train_carve: points owner's arrays into base (NULL: only counts) and
// returns the reals they take.
typedef size_t (*TrainLayOut)(void *owner, real *base);

// Sizes owner's block with lay_out, allocates it zeroed into *mem and points the arrays in.
// Returns 0, or -1 when out of memory.
int train_alloc_laid_out(real **mem, TrainLayOut lay_out, void *owner);

// Input width of layer k.
int train_shape_layer_inputs(const TrainShape *s, int k);
// Number of reals in the block.
size_t train_shape_param_count(const TrainShape *s);
// Points p's fields into base (train_shape_param_count reals). Any thread; no allocation.
void train_params_bind(const TrainShape *s, real *base, TrainParams *p);

// PyTorch's default initialisation (uniform +-1/sqrt(H) for every recurrent weight and bias
// and for the head), from a seeded generator, with the forget-gate input bias set to
// forget_bias (LSTM types) so the cells start out remembering. Any thread; no allocation.
void train_params_init(const TrainShape *s, real *base, uint64_t seed, real forget_bias);

// Copies the parameters into m (which is initialised first) as a validated ModelDesc with one
// linear head. Returns 0, or -1 when out of memory. Worker thread; allocates.
int train_params_export(const TrainShape *s, const real *base, double sample_rate, ModelDesc *m);

// The network was trained on audio scaled by in_gain (input channel 0) and targets scaled by
// out_gain; folds both into the exported weights (layer 0's input column, the head) so the
// model plays unscaled audio. With skip the two gains must be equal (the dry input is added
// unweighted). Any thread; no allocation.
void train_export_fold_gains(ModelDesc *m, float in_gain, float out_gain);

// A small seeded generator (splitmix64): the trainer's only source of randomness, so a seed
// fixes initial weights and the order of segments.
typedef struct {
	uint64_t state;
} TrainRng;

uint64_t train_rng_next(TrainRng *r);
// Uniform in [0, 1).
double train_rng_uniform(TrainRng *r);

#endif
