// SPDX-License-Identifier: ISC
// The recurrent layers and the head, forward and backward (see train_layers.h). Input
// projections and weight gradients are one matrix product over all T*R rows; only the
// recurrent product h U^T (forward) and dG U (backward) run step by step.
#include "train_layers.h"

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

// dw [G][I] += dG^T x over N rows. Narrow inputs (the audio layer) go column by column, so
// the long dG [N][G] is streamed once per input instead of once per block of G rows.
static void weight_grad(const TrainKernels *K, int G, int I, int N, const real *dG,
                        const real *x, real *dw)
{
	if (I > 4) {
		K->gemm(G, I, N, dG, 1, G, x, I, dw, I);
		return;
	}
	real tmp[4 * 128];
	for (int i = 0; i < I; i++) {
		memset(tmp, 0, (size_t)G * sizeof *tmp);
		K->gemm(1, G, N, x + i, 0, I, dG, G, tmp, G);
		for (int m = 0; m < G; m++)
			dw[m * I + i] += tmp[m];
	}
}

void lstm_forward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                  const real *wt_ih, const real *wt_hh, const real *bias, const real *peep,
                  real *gates, real *c, real *tc, real *h)
{
	const int G = 4 * H;
	const long RH = (long)R * H, RG = (long)R * G;
	fill_rows((long)T * R, G, bias, gates);
	K->gemm(T * R, G, I, x, I, 1, wt_ih, G, gates, G);
	for (int t = 0; t < T; t++) {
		real *g = gates + t * RG;
		K->gemm(R, G, H, h + t * RH, H, 1, wt_hh, G, g, G);
		K->lstm_cell_forward(R, H, g, c + t * RH, c + (t + 1) * RH, tc + t * RH,
		                     h + (t + 1) * RH, peep);
	}
}

void lstm_backward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                   const real *w_ih, const real *w_hh, const real *peep, const real *gates,
                   const real *c, const real *tc, const real *h, real *dh, real *dgates,
                   real *dc, real *dw_ih, real *dw_hh, real *db_ih, real *db_hh, real *dpeep,
                   real *dx)
{
	const int G = 4 * H;
	const long RH = (long)R * H, RG = (long)R * G;
	memset(dc, 0, (size_t)RH * sizeof *dc);
	for (int t = T - 1; t >= 0; t--) {
		real *dg = dgates + t * RG;
		K->lstm_cell_backward(R, H, gates + t * RG, c + t * RH, c + (t + 1) * RH, tc + t * RH,
		                      peep, dh + t * RH, dc, dg, dpeep);
		if (t > 0)
			K->gemm(R, H, G, dg, G, 1, w_hh, H, dh + (t - 1) * RH, H);
	}
	const int N = T * R;
	K->gemm(G, H, N, dgates, 1, G, h, H, dw_hh, H);
	weight_grad(K, G, I, N, dgates, x, dw_ih);
	// b_ih and b_hh enter the LSTM gates the same way, so they share one gradient.
	real db[4 * 128];
	memset(db, 0, (size_t)G * sizeof *db);
	sum_rows(N, G, dgates, db);
	for (int j = 0; j < G; j++) {
		db_ih[j] += db[j];
		db_hh[j] += db[j];
	}
	if (dx) {
		memset(dx, 0, (size_t)N * (size_t)I * sizeof *dx);
		K->gemm(N, I, G, dgates, G, 1, w_ih, I, dx, I);
	}
}

void gru_forward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                 const real *wt_ih, const real *wt_hh, const real *b_ih, const real *b_hh,
                 real *gh, real *act, real *h)
{
	// act doubles as the input pre-activations: each step reads gx_t before writing act_t.
	const int G = 3 * H;
	const long RH = (long)R * H, RG = (long)R * G;
	fill_rows((long)T * R, G, b_ih, act);
	K->gemm(T * R, G, I, x, I, 1, wt_ih, G, act, G);
	fill_rows((long)T * R, G, b_hh, gh);
	for (int t = 0; t < T; t++) {
		real *ght = gh + t * RG;
		K->gemm(R, G, H, h + t * RH, H, 1, wt_hh, G, ght, G);
		K->gru_cell_forward(R, H, act + t * RG, ght, h + t * RH, act + t * RG,
		                    h + (t + 1) * RH);
	}
}

void gru_backward(const TrainKernels *K, int T, int R, int I, int H, const real *x,
                  const real *w_ih, const real *w_hh, const real *gh, const real *act,
                  const real *h, real *dh, real *dgx, real *dgh, real *dprev, real *dw_ih,
                  real *dw_hh, real *db_ih, real *db_hh, real *dx)
{
	const int G = 3 * H;
	const long RH = (long)R * H, RG = (long)R * G;
	for (int t = T - 1; t >= 0; t--) {
		K->gru_cell_backward(R, H, act + t * RG, gh + t * RG, h + t * RH, dh + t * RH,
		                     dgx + t * RG, dgh + t * RG, dprev);
		if (t > 0) {
			real *d = dh + (t - 1) * RH;
			for (long j = 0; j < RH; j++)
				d[j] += dprev[j];
			K->gemm(R, H, G, dgh + t * RG, G, 1, w_hh, H, d, H);
		}
	}
	const int N = T * R;
	K->gemm(G, H, N, dgh, 1, G, h, H, dw_hh, H);
	weight_grad(K, G, I, N, dgx, x, dw_ih);
	sum_rows(N, G, dgx, db_ih);
	sum_rows(N, G, dgh, db_hh);
	if (dx) {
		memset(dx, 0, (size_t)N * (size_t)I * sizeof *dx);
		K->gemm(N, I, G, dgx, G, 1, w_ih, I, dx, I);
	}
}

void dense_forward(long N, int H, const real *h, const real *w, const real *b, const real *x,
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

void dense_backward(long N, int H, const real *h, const real *w, const real *dy, real *dh,
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
