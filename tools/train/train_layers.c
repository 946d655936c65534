// SPDX-License-Identifier: ISC
// The recurrent layers and the head, forward and backward (see train_layers.h). Everything
// runs step by step on [R][G] slices that stay in cache: the input projection, h U^T and the
// cell forward; backward the cell, dG U, the weight gradients and dx. Only the activations
// the backward pass needs are kept for the whole chunk.
#include "train_layers.h"

#include "model_desc.h"

#include <string.h>

static void fill_rows(long rows, int n, const real *bias, real *out)
{
	for (long r = 0; r < rows; r++)
		memcpy(out + r * n, bias, (size_t)n * sizeof *out);
}

static void sum_rows(long rows, int n, const real *in, real *acc)
{
	for (long r = 0; r < rows; r++)
		for (int j = 0; j < n; j++)
			acc[j] += in[r * n + j];
}

// out [R][G] = bias + x [R][I] wt [I][G]: one step's input projection, in cache.
static void project(const TrainKernels *K, int R, int G, int I, const real *x, const real *wt,
                    const real *bias, real *out)
{
	fill_rows(R, G, bias, out);
	K->gemm(R, G, I, x, I, 1, wt, G, out, G);
}

// Adds one step's weight gradients: dw [G][I] += dG^T x, with dG [R][G] and x [R][I] hot in cache
// (a block of steps' worth). Narrow inputs (the audio layer) go as one axpy per row and input.
static void weight_grad(const TrainKernels *K, int R, int G, int I, const real *dG, const real *x,
                        real *dw)
{
	if (I > 4) {
		K->gemm(G, I, R, dG, 1, G, x, I, dw, I);
		return;
	}
	if (I == 1) {
		K->gemm(1, G, R, x, 0, 1, dG, G, dw, G);
		return;
	}
	real tmp[4 * MODEL_MAX_HIDDEN];
	for (int i = 0; i < I; i++) {
		memset(tmp, 0, (size_t)G * sizeof *tmp);
		K->gemm(1, G, R, x + i, 0, I, dG, G, tmp, G);
		for (int m = 0; m < G; m++)
			dw[(long)m * I + i] += tmp[m];
	}
}

// Backward runs t from T-1 down and keeps the gate gradients of a block of steps: at a block's
// first step t (a multiple of TRAIN_GRAD_BLOCK) the rows of steps t.. of the block are all
// there, and their count is returned; elsewhere 0.
static int grad_block_rows(int T, int t, int R)
{
	if (t % TRAIN_GRAD_BLOCK != 0)
		return 0;
	return (T - t < TRAIN_GRAD_BLOCK ? T - t : TRAIN_GRAD_BLOCK) * R;
}

void train_lstm_forward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                        const real *wt_ih, const real *wt_hh, const real *bias, const real *peep,
                        real *gates, real *c, real *tc, real *h)
{
	const int G = 4 * H;
	const long RH = (long)R * H, RG = (long)R * G, RI = (long)R * I;
	for (int t = 0; t < T; t++) {
		real *g = gates + t * RG;
		project(K, R, G, I, x + t * RI, wt_ih, bias, g);
		K->gemm(R, G, H, h + t * RH, H, 1, wt_hh, G, g, G);
		K->lstm_cell_forward(R, H, g, c + t * RH, c + (t + 1) * RH, tc + t * RH, h + (t + 1) * RH,
		                     peep);
	}
}

void train_lstm_backward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                         const real *w_ih, const real *w_hh, const real *peep, const real *gates,
                         const real *c, const real *tc, const real *h, real *dh, real *dgates,
                         real *dc, real *dw_ih, real *dw_hh, real *db_ih, real *db_hh, real *dpeep,
                         real *dx)
{
	// dgates holds a block of steps: the weight gradients are added once per block.
	const int G = 4 * H;
	const long RH = (long)R * H, RG = (long)R * G, RI = (long)R * I;
	real db[4 * MODEL_MAX_HIDDEN];
	memset(db, 0, (size_t)G * sizeof *db);
	memset(dc, 0, (size_t)RH * sizeof *dc);
	for (int t = T - 1; t >= 0; t--) {
		real *dg = dgates + (t % TRAIN_GRAD_BLOCK) * RG;
		K->lstm_cell_backward(R, H, gates + t * RG, c + t * RH, c + (t + 1) * RH, tc + t * RH, peep,
		                      dh + t * RH, dc, dg, dpeep);
		if (t > 0)
			K->gemm(R, H, G, dg, G, 1, w_hh, H, dh + (t - 1) * RH, H);
		if (dx) {
			memset(dx + t * RI, 0, (size_t)RI * sizeof *dx);
			K->gemm(R, I, G, dg, G, 1, w_ih, I, dx + t * RI, I);
		}
		const int rows = grad_block_rows(T, t, R);
		if (rows > 0) {
			K->gemm(G, H, rows, dgates, 1, G, h + t * RH, H, dw_hh, H);
			weight_grad(K, rows, G, I, dgates, x + t * RI, dw_ih);
			sum_rows(rows, G, dgates, db);
		}
	}
	// b_ih and b_hh enter the gates the same way, so they share one gradient.
	for (int j = 0; j < G; j++) {
		db_ih[j] += db[j];
		db_hh[j] += db[j];
	}
}

void train_gru_forward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                       const real *wt_ih, const real *wt_hh, const real *b_ih, const real *b_hh,
                       real *gh, real *act, real *h)
{
	// act doubles as the input pre-activations: each step reads gx_t before writing act_t.
	const int G = 3 * H;
	const long RH = (long)R * H, RG = (long)R * G, RI = (long)R * I;
	for (int t = 0; t < T; t++) {
		real *a = act + t * RG, *ght = gh + t * RG;
		project(K, R, G, I, x + t * RI, wt_ih, b_ih, a);
		fill_rows(R, G, b_hh, ght);
		K->gemm(R, G, H, h + t * RH, H, 1, wt_hh, G, ght, G);
		K->gru_cell_forward(R, H, a, ght, h + t * RH, a, h + (t + 1) * RH);
	}
}

void train_gru_backward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                        const real *w_ih, const real *w_hh, const real *gh, const real *act,
                        const real *h, real *dh, real *dgx, real *dgh, real *dprev, real *dw_ih,
                        real *dw_hh, real *db_ih, real *db_hh, real *dx)
{
	// dgx, dgh hold a block of steps: the weight gradients are added once per block.
	const int G = 3 * H;
	const long RH = (long)R * H, RG = (long)R * G, RI = (long)R * I;
	for (int t = T - 1; t >= 0; t--) {
		const long slot = (t % TRAIN_GRAD_BLOCK) * RG;
		K->gru_cell_backward(R, H, act + t * RG, gh + t * RG, h + t * RH, dh + t * RH, dgx + slot,
		                     dgh + slot, dprev);
		if (t > 0) {
			real *d = dh + (t - 1) * RH;
			for (long j = 0; j < RH; j++)
				d[j] += dprev[j];
			K->gemm(R, H, G, dgh + slot, G, 1, w_hh, H, d, H);
		}
		if (dx) {
			memset(dx + t * RI, 0, (size_t)RI * sizeof *dx);
			K->gemm(R, I, G, dgx + slot, G, 1, w_ih, I, dx + t * RI, I);
		}
		const int rows = grad_block_rows(T, t, R);
		if (rows > 0) {
			K->gemm(G, H, rows, dgh, 1, G, h + t * RH, H, dw_hh, H);
			weight_grad(K, rows, G, I, dgx, x + t * RI, dw_ih);
			sum_rows(rows, G, dgx, db_ih);
			sum_rows(rows, G, dgh, db_hh);
		}
	}
}

void train_dense_forward(long N, int H, const real *h, const real *w, const real *b, const real *x,
                         long xs, int skip, real *y)
{
	for (long n = 0; n < N; n++) {
		const real *hn = h + n * H;
		real s = 0;
		for (int u = 0; u < H; u++)
			s += w[u] * hn[u];
		s += b[0];
		y[n] = skip ? s + x[n * xs] : s;
	}
}

void train_dense_backward(long N, int H, const real *h, const real *w, const real *dy, real *dh,
                          real *dw, real *db)
{
	real sb = 0;
	for (long n = 0; n < N; n++) {
		const real d = dy[n];
		const real *hn = h + n * H;
		real *dn = dh + n * H;
		for (int u = 0; u < H; u++) {
			dn[u] = d * w[u];
			dw[u] += d * hn[u];
		}
		sb += d;
	}
	db[0] += sb;
}
