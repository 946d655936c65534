// SPDX-License-Identifier: ISC
// Plain C kernels: the reference every SIMD path is tested against, and the path for CPUs
// without AVX2. Exact activations call libm; fast ones use the same approximations as the
// SIMD paths (dsp/fast_math.h), one element at a time. Multiply and add stay separate (no
// fmaf): on a CPU without FMA, fmaf is a slow software routine.
#include "fast_math.h"
#include "net_layout.h"

#include <math.h>

typedef float (*UnaryFn)(float);

static float sigmoid_exact(float x) { return 1.0f / (1.0f + expf(-x)); }

static float tanh_exact(float x) { return tanhf(x); }

// g[gate][unit] += sum over rows j of src[j] * w[j][gate][unit], w in the blocked layout of
// net_layout.h; each g[k] sums its rows in order.
static inline void accumulate(const RecurrentLayer *L, float *g, const float *src, int rows,
                              const float *w)
{
	const int lane = L->lane, hp = L->hp, G = L->gates;
	for (int b = 0; b < hp / lane; b++) {
		for (int j = 0; j < rows; j++) {
			const float s = src[j];
			const float *wr = w + ((size_t)b * (size_t)rows + (size_t)j) * (size_t)G * (size_t)lane;
			for (int q = 0; q < G; q++) {
				float *gq = g + q * hp + b * lane;
				for (int l = 0; l < lane; l++)
					gq[l] += s * wr[q * lane + l];
			}
		}
	}
}

// gx = bx + Wx x; then bh + Wh h is added to gx (LSTM) or written to gh (GRU).
static inline void preactivate(RecurrentLayer *L, const float *x, int separate_state)
{
	const int n = L->gates * L->hp;
	float *gx = L->gx;
	float *gh = separate_state ? L->gh : L->gx;
	for (int j = 0; j < n; j++)
		gx[j] = L->bx[j];
	if (separate_state)
		for (int j = 0; j < n; j++)
			gh[j] = L->bh[j];
	accumulate(L, gx, x, L->inputs, L->wx);
	accumulate(L, gh, L->h, L->hidden, L->wh);
}

// The LSTM cells; with peep, the peephole connections add p_i and p_f times the old c to the i
// and f gates and p_o times the new c to the o gate.
static inline void lstm_step(RecurrentLayer *L, const float *x, UnaryFn sig, UnaryFn th, int peep)
{
	preactivate(L, x, 0);
	const int hp = L->hp;
	const float *g = L->gx;
	const float *p = L->peep;
	for (int u = 0; u < hp; u++) {
		const float prev = L->c[u];
		float pi = g[u], pf = g[hp + u], po = g[3 * hp + u];
		if (peep) {
			pi += p[u] * prev;
			pf += p[hp + u] * prev;
		}
		const float i = sig(pi);
		const float f = sig(pf);
		const float c = f * prev + i * th(g[2 * hp + u]);
		if (peep)
			po += p[2 * hp + u] * c;
		const float o = sig(po);
		L->c[u] = c;
		L->h[u] = o * th(c);
	}
}

static inline void gru_step(RecurrentLayer *L, const float *x, UnaryFn sig, UnaryFn th)
{
	preactivate(L, x, 1);
	const int hp = L->hp;
	const float *gx = L->gx;
	const float *gh = L->gh;
	for (int u = 0; u < hp; u++) {
		float r = sig(gx[u] + gh[u]);
		float z = sig(gx[hp + u] + gh[hp + u]);
		float n = th(gx[2 * hp + u] + r * gh[2 * hp + u]);
		L->h[u] = n + z * (L->h[u] - n);
	}
}

static inline void dense_step(DenseLayer *D, const float *x, UnaryFn sig, UnaryFn th)
{
	float *y = D->y;
	for (int j = 0; j < D->op; j++)
		y[j] = D->b[j];
	for (int i = 0; i < D->inputs; i++) {
		const float xi = x[i];
		const float *w = D->wt + (size_t)i * (size_t)D->op;
		for (int j = 0; j < D->op; j++)
			y[j] += xi * w[j];
	}
	for (int j = 0; j < D->op; j++) {
		switch (D->activation) {
		case ACT_TANH: y[j] = th(y[j]); break;
		case ACT_SIGMOID: y[j] = sig(y[j]); break;
		case ACT_RELU: y[j] = y[j] > 0.0f ? y[j] : 0.0f; break;
		case ACT_LINEAR: break;
		}
	}
}

static void lstm_exact(RecurrentLayer *L, const float *x)
{
	lstm_step(L, x, sigmoid_exact, tanh_exact, 0);
}
static void lstm_fast(RecurrentLayer *L, const float *x)
{
	lstm_step(L, x, fast_sigmoid, fast_tanh, 0);
}
static void peep_exact(RecurrentLayer *L, const float *x)
{
	lstm_step(L, x, sigmoid_exact, tanh_exact, 1);
}
static void peep_fast(RecurrentLayer *L, const float *x)
{
	lstm_step(L, x, fast_sigmoid, fast_tanh, 1);
}
static void gru_exact(RecurrentLayer *L, const float *x)
{
	gru_step(L, x, sigmoid_exact, tanh_exact);
}
static void gru_fast(RecurrentLayer *L, const float *x) { gru_step(L, x, fast_sigmoid, fast_tanh); }
static void dense_exact(DenseLayer *D, const float *x)
{
	dense_step(D, x, sigmoid_exact, tanh_exact);
}
static void dense_fast(DenseLayer *D, const float *x) { dense_step(D, x, fast_sigmoid, fast_tanh); }

// No whole-call kernels: the reference runs every network frame by frame through run_frame().
static const KernelSet exact_set = {lstm_exact, peep_exact, gru_exact, dense_exact,
                                    NULL,       NULL,       NULL,      NULL};
static const KernelSet fast_set = {lstm_fast, peep_fast, gru_fast, dense_fast,
                                   NULL,      NULL,      NULL,     NULL};

const KernelSet *kernels_scalar(LstmActivations act)
{
	return act == LSTM_ACT_FAST ? &fast_set : &exact_set;
}
