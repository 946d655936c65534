// SPDX-License-Identifier: ISC
// Keras <-> PyTorch weight layout of a recurrent layer: one walk for both directions, so the
// exporter is the importer's exact inverse by construction.
#include "keras_layout.h"

#include <stddef.h>

// One weight, from the engine's layout to Keras's or back.
static void keras_layout_move(float *torch, float *keras, int to_keras)
{
	if (to_keras)
		*keras = *torch;
	else
		*torch = *keras;
}

// Copies between the engine's layout (l) and Keras's (W, U, B); to_keras says which way.
// Keras gate block kb holds PyTorch block perm[kb]; the GRU permutation is its own inverse.
static void keras_layout_copy(RecurrentLayerDesc *l, float *W, float *U, float *B, int to_keras)
{
	static const int lstm_perm[4] = {0, 1, 2, 3};
	static const int gru_perm[3] = {1, 0, 2};
	const int G = model_cell_gates(l->cell), H = l->hidden, I = l->inputs;
	const int *perm = l->cell == CELL_GRU ? gru_perm : lstm_perm;
	const size_t gh = (size_t)G * (size_t)H;
	for (int kb = 0; kb < G; kb++) {
		for (int u = 0; u < H; u++) {
			const size_t kcol = (size_t)kb * (size_t)H + (size_t)u;
			const size_t trow = (size_t)perm[kb] * (size_t)H + (size_t)u;
			for (int i = 0; i < I; i++)
				keras_layout_move(&l->w_ih[trow * (size_t)I + (size_t)i], &W[(size_t)i * gh + kcol],
				                  to_keras);
			for (int j = 0; j < H; j++)
				keras_layout_move(&l->w_hh[trow * (size_t)H + (size_t)j], &U[(size_t)j * gh + kcol],
				                  to_keras);
			if (l->cell == CELL_GRU) {
				keras_layout_move(&l->b_ih[trow], &B[kcol], to_keras);
				keras_layout_move(&l->b_hh[trow], &B[gh + kcol], to_keras);
			} else if (to_keras) {
				B[kcol] = l->b_ih[trow] + l->b_hh[trow];
			} else {
				l->b_ih[trow] = B[kcol];
				l->b_hh[trow] = 0.0f;
			}
		}
	}
}

void keras_layout_from_layer(const RecurrentLayerDesc *l, float *W, float *U, float *B)
{
	// The cast is safe: with to_keras set, l is only read.
	keras_layout_copy((RecurrentLayerDesc *)l, W, U, B, 1);
}

void keras_layout_to_layer(const float *W, const float *U, const float *B, RecurrentLayerDesc *l)
{
	// And here W, U and B are only read.
	keras_layout_copy(l, (float *)W, (float *)U, (float *)B, 0);
}
