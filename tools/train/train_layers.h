// SPDX-License-Identifier: ISC
// Forward/backward pairs of the trainable layers over plain buffers, for R independent
// sequences (rows) over T time steps, in time-major order: element [t][r][j]. Forward caches
// what backward needs; backward adds parameter gradients into the gradient buffers (it never
// clears them) and truncates at the chunk start (no gradient into the initial state).
// Any thread; no allocation; buffers never alias unless stated.
#ifndef TRAIN_LAYERS_H
#define TRAIN_LAYERS_H

#include "train_kernels.h"

// Steps whose weight gradients backward adds in one product: with a few rows per thread, a
// product per step spends more time loading and storing the gradient than adding to it.
enum { TRAIN_GRAD_BLOCK = 16 };

// LSTM (peep == NULL) or peephole LSTM. x [T][R][I]; wt_ih [I][4H] and wt_hh [H][4H] are the
// transposed weights; bias [4H] = b_ih + b_hh. h, c [T+1][R][H] with the initial state in
// slot 0; writes gates [T][R][4H] (activations i,f,g,o), tc [T][R][H] = tanh(c_{t+1}).
void train_lstm_forward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                        const real *wt_ih, const real *wt_hh, const real *bias, const real *peep,
                        real *gates, real *c, real *tc, real *h);
// dh [T][R][H]: dL/dh_{t+1} from the layer above on entry (used as scratch: the recurrent
// part is added in place). w_ih [4H][I], w_hh [4H][H]. dgates [TRAIN_GRAD_BLOCK][R][4H] and
// dc [R][H] are scratch. Adds into dw_ih, dw_hh, db_ih, db_hh (and dpeep when peep). Writes
// dx [T][R][I] when dx is not NULL.
void train_lstm_backward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                         const real *w_ih, const real *w_hh, const real *peep, const real *gates,
                         const real *c, const real *tc, const real *h, real *dh, real *dgates,
                         real *dc, real *dw_ih, real *dw_hh, real *db_ih, real *db_hh, real *dpeep,
                         real *dx);

// GRU. wt_ih [I][3H], wt_hh [H][3H], b_ih, b_hh [3H]; h [T+1][R][H]; writes gh [T][R][3H]
// (U h + b_hh) and act [T][R][3H] (r, z, n).
void train_gru_forward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                       const real *wt_ih, const real *wt_hh, const real *b_ih, const real *b_hh,
                       real *gh, real *act, real *h);
// dgx, dgh [TRAIN_GRAD_BLOCK][R][3H] and dprev [R][H] are scratch; otherwise as
// train_lstm_backward.
void train_gru_backward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                        const real *w_ih, const real *w_hh, const real *gh, const real *act,
                        const real *h, real *dh, real *dgx, real *dgh, real *dprev, real *dw_ih,
                        real *dw_hh, real *db_ih, real *db_hh, real *dx);

// Linear head with one output over N rows: y[n] = w . h[n] + b (+ x[n*xs] when skip).
// h [N][H], w [H], b [1].
void train_dense_forward(long N, int H, const real *h, const real *w, const real *b, const real *x,
                         long xs, int skip, real *y);
// dy [N]; writes dh [N][H]; adds into dw [H], db [1].
void train_dense_backward(long N, int H, const real *h, const real *w, const real *dy, real *dh,
                          real *dw, real *db);

#endif
