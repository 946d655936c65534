// SPDX-License-Identifier: ISC
// The AIDA-X / RTNeural Keras layout of a recurrent layer's weights, against the engine's
// (PyTorch's), for import_keras.c and export_keras.c: Keras stores the kernels transposed, W
// [I][G*H] and U [H][G*H]; its GRU gate blocks are z, r, h where PyTorch's are r, z, n (LSTM
// blocks i, f, c, o match i, f, g, o); an LSTM has one bias [G*H], the two PyTorch biases
// summed, and a GRU [2][G*H], input side then recurrent side. Plain arrays, no JSON; any thread,
// no allocation.
#ifndef LSTM_KERAS_LAYOUT_H
#define LSTM_KERAS_LAYOUT_H

#include "model_desc.h"

// Fills W, U and B (sizes above) from layer l. The LSTM biases are summed in float, as the
// engine itself sums them, so that a re-import runs bit for bit the same.
void keras_layout_from_layer(const RecurrentLayerDesc *l, float *W, float *U, float *B);

// Fills l's w_ih, w_hh, b_ih and b_hh (allocated for its cell, inputs and hidden) from W, U
// and B. An LSTM's single bias goes to b_ih, and b_hh is zero.
void keras_layout_to_layer(const float *W, const float *U, const float *B, RecurrentLayerDesc *l);

#endif
