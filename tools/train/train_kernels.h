// SPDX-License-Identifier: ISC
// The hot loops of training: a small matrix product and the element-wise parts of one time step of
// each cell, forward and backward, for a batch of rows. train_kernels.c is compiled once for plain
// x86-64 (and once more in double for the gradient tests), once with AVX2+FMA and once with
// AVX-512F; the trainer picks a table at run time. Every function is pure arithmetic over caller
// buffers: any thread, no allocation. Results depend only on the inputs and the table chosen.
#ifndef TRAIN_KERNELS_H
#define TRAIN_KERNELS_H

#include "train_real.h"

typedef struct {
	const char *name;
	// C[m][n] (row stride ldc) += sum_k A(m,k) * B[k][n] (row stride ldb), where A(m,k) is
	// A[m*ars + k*acs]: plain, or transposed by swapping the strides.
	void (*gemm)(int M, int N, int K, const real *A, long ars, long acs, const real *B, long ldb,
	             real *C, long ldc);
	// LSTM step for R rows. gates [R][4H] holds pre-activations i,f,g,o on entry and the
	// activations on return; c_prev, c, tc (= tanh c), h are [R][H]; peep [3][H] or NULL.
	void (*lstm_cell_forward)(int R, int H, real *gates, const real *c_prev, real *c, real *tc,
	                          real *h, const real *peep);
	// Backward of the same step. dh [R][H] is dL/dh_t (overwritten), dc [R][H] is dL/dc_t from
	// the future on entry and dL/dc_{t-1} on return; writes dgates [R][4H] (pre-activation
	// gradients) and adds peephole gradients into dpeep [3][H] when peep is not NULL.
	void (*lstm_cell_backward)(int R, int H, const real *gates, const real *c_prev, const real *c,
	                           const real *tc, const real *peep, const real *dh, real *dc,
	                           real *dgates, real *dpeep);
	// GRU step. gx [R][3H] input pre-activations (b_ih included), gh [R][3H] state
	// pre-activations (b_hh included); writes act [R][3H] = r, z, n and h [R][H].
	void (*gru_cell_forward)(int R, int H, const real *gx, const real *gh, const real *h_prev,
	                         real *act, real *h);
	// GRU backward: dh [R][H] = dL/dh_t; writes dgx, dgh [R][3H] and dh_prev [R][H] (the
	// direct part z*dh only; the caller adds dgh U).
	void (*gru_cell_backward)(int R, int H, const real *act, const real *gh, const real *h_prev,
	                          const real *dh, real *dgx, real *dgh, real *dh_prev);
} TrainKernels;

// Plain C (any x86-64). In the double build this is the only table.
const TrainKernels *train_kernels_scalar(void);
// AVX2+FMA, or NULL when not compiled in or this CPU lacks them.
const TrainKernels *train_kernels_avx2(void);
// The AVX2 table with an AVX-512F matrix product, or NULL likewise.
const TrainKernels *train_kernels_avx512(void);
// The best table for this CPU; force_scalar picks plain C. Any thread.
const TrainKernels *train_kernels_best(int force_scalar);

#endif
