// SPDX-License-Identifier: ISC
// The body of the vector kernels, written once over a handful of vector macros and included by
// kernels_avx2.c (8 floats a vector) and kernels_avx512.c (16), each compiled with its own
// instruction-set flags. Nothing else includes it.
//
// A recurrent step works on one block of VW units at a time: its G gate vectors are computed
// together (bias, then the input rows, then the recurrent rows: broadcast one input value, one
// FMA per gate, the block's weights read as one contiguous run), so the gates stay in registers
// through the activations and the cell update. Each gate has KP partial sums (row j goes to
// partial j % KP) so that consecutive FMAs are independent and the recurrent dependency chain
// is about H / KP FMAs long instead of H. With several blocks the new h goes to other memory
// than the old, since later blocks still read the old h.
//
// The whole-call kernels (ks_run1) serve the commonest network, one layer fed by one input and
// a linear head: no per-frame dispatch, and with one or two blocks h and c never leave registers
// (h's lanes are broadcast by permutes rather than stored and loaded back). A call of one frame
// has kernels of its own (ks_frame1): the same cells, without the setup a long call amortises.
//
// The includer defines: VEC, VW, KP, V_PS(op) (the instruction set's intrinsic _mm*_op_ps),
// V_FAST(fn) (its fast_fn_* from fast_math_*.h), V_BCAST(p), V_LANE(v, j) (lane j of v in every
// lane), V_HSUM(v) (float), and KS_KERNELS, the name of the function that returns its tables.
#ifndef LSTM_KERNELS_SIMD_H
#define LSTM_KERNELS_SIMD_H

#include "net_layout.h"

#include <math.h>
#include <stddef.h>

// The operations every instruction set names alike.
#define V_LOAD(p) V_PS(load)(p) // aligned
#define V_STORE(p, v) V_PS(store)((p), (v))
#define V_SET1(f) V_PS(set1)(f)
#define V_ZERO() V_PS(setzero)()
#define V_FMA(a, b, c) V_PS(fmadd)((a), (b), (c)) // a * b + c
#define V_ADD(a, b) V_PS(add)((a), (b))
#define V_SUB(a, b) V_PS(sub)((a), (b))
#define V_MUL(a, b) V_PS(mul)((a), (b))
#define V_MAX(a, b) V_PS(max)((a), (b))
#define V_SIG_FAST(v) V_FAST(sigmoid)(v)
#define V_TANH_FAST(v) V_FAST(tanh)(v)
#define V_MUL_TANH_FAST(o, v) V_FAST(mul_tanh)((o), (v)) // o * tanh(v)

#define KS_INLINE static inline __attribute__((always_inline))

static float ks_sigmoid_exact(float x) { return 1.0f / (1.0f + expf(-x)); }

static float ks_tanh_exact(float x) { return tanhf(x); }

// Applies a libm function lane by lane (the exact activations).
KS_INLINE VEC ks_map(VEC v, float (*f)(float))
{
	float buf[VW] __attribute__((aligned(64)));
	V_STORE(buf, v);
	for (int k = 0; k < VW; k++)
		buf[k] = f(buf[k]);
	return V_LOAD(buf);
}

KS_INLINE VEC ks_sig(VEC v, int fast) { return fast ? V_SIG_FAST(v) : ks_map(v, ks_sigmoid_exact); }

KS_INLINE VEC ks_tanh(VEC v, int fast) { return fast ? V_TANH_FAST(v) : ks_map(v, ks_tanh_exact); }

// o * tanh(v): the fast one in one piece, a multiplication shorter on the recurrent chain.
KS_INLINE VEC ks_mul_tanh(VEC o, VEC v, int fast)
{
	return fast ? V_MUL_TANH_FAST(o, v) : V_MUL(o, ks_map(v, ks_tanh_exact));
}

// acc[g][j % KP] += src[j] * w[j * stride + off[g]] for g < ng, j < rows.
KS_INLINE void ks_rows(VEC acc[][KP], int ng, const float *src, int rows, const float *w,
                       size_t stride, const size_t *off)
{
	int j = 0;
	for (; j + KP <= rows; j += KP) {
		for (int k = 0; k < KP; k++) {
			const VEC s = V_BCAST(src + j + k);
			const float *row = w + (size_t)(j + k) * stride;
			for (int g = 0; g < ng; g++)
				acc[g][k] = V_FMA(s, V_LOAD(row + off[g]), acc[g][k]);
		}
	}
	// Constant indices only (k is unrolled), so the accumulators stay in registers.
	for (int k = 0; k < KP - 1; k++) {
		if (j + k < rows) {
			const VEC s = V_BCAST(src + j + k);
			const float *row = w + (size_t)(j + k) * stride;
			for (int g = 0; g < ng; g++)
				acc[g][k] = V_FMA(s, V_LOAD(row + off[g]), acc[g][k]);
		}
	}
}

// Sum of the KP partial sums, as a tree.
KS_INLINE VEC ks_sum(const VEC *a)
{
	VEC t[KP];
	for (int k = 0; k < KP; k++)
		t[k] = a[k];
	for (int w = KP / 2; w > 0; w /= 2)
		for (int k = 0; k < w; k++)
			t[k] = V_ADD(t[k], t[k + w]);
	return t[0];
}

KS_INLINE void ks_zero_partials(VEC acc[][KP], int ng)
{
	for (int g = 0; g < ng; g++)
		for (int k = 1; k < KP; k++)
			acc[g][k] = V_ZERO();
}

KS_INLINE void ks_copy(float *dst, const float *src, int n)
{
	for (int u = 0; u < n; u += VW)
		V_STORE(dst + u, V_LOAD(src + u));
}

// The LSTM cell on one block of units, from the gates' partial sums: updates *c and returns the
// new h. peep points at the block's p_i; p_f and p_o follow at hp and 2 hp.
KS_INLINE VEC ks_lstm_update(VEC acc[4][KP], VEC *cp, int fast, int peep, const float *p, int hp)
{
	VEC c = *cp;
	VEC pi = ks_sum(acc[0]), pf = ks_sum(acc[1]), po = ks_sum(acc[3]);
	if (peep) {
		pi = V_FMA(V_LOAD(p), c, pi);
		pf = V_FMA(V_LOAD(p + hp), c, pf);
	}
	const VEC i = ks_sig(pi, fast);
	const VEC f = ks_sig(pf, fast);
	const VEC g = ks_tanh(ks_sum(acc[2]), fast);
	c = V_FMA(i, g, V_MUL(f, c));
	if (peep)
		po = V_FMA(V_LOAD(p + 2 * (size_t)hp), c, po);
	const VEC o = ks_sig(po, fast);
	*cp = c;
	return ks_mul_tanh(o, c, fast);
}

// LSTM, with peephole connections when peep is set: reads the state h from hin, writes the
// new one to hout (the same array only with a single block: later blocks read all of hin).
//
// rev runs the blocks last to first. Callers alternate it from step to step: the blocks are
// independent, so the order changes nothing in the results, but the weights read last in one
// step are read first in the next while they are still in L1 (a network too big for L1 would
// otherwise miss on every block, cycling through the cache in the same order every time).
KS_INLINE void ks_lstm_io(RecurrentLayer *L, const float *x, int ni, int fast, int peep,
                          const float *hin, float *hout, int rev)
{
	const int hp = L->hp, nb = hp / VW;
	for (int i = 0; i < nb; i++) {
		const int b = rev ? nb - 1 - i : i;
		const size_t u0 = (size_t)b * VW;
		const size_t bias[4] = {u0, hp + u0, 2 * (size_t)hp + u0, 3 * (size_t)hp + u0};
		const size_t off[4] = {0, VW, 2 * VW, 3 * VW};
		VEC acc[4][KP];
		for (int g = 0; g < 4; g++)
			acc[g][0] = V_LOAD(L->bx + bias[g]);
		ks_zero_partials(acc, 4);
		ks_rows(acc, 4, x, ni, L->wx + (size_t)b * (size_t)ni * 4 * VW, 4 * VW, off);
		ks_rows(acc, 4, hin, L->hidden, L->wh + (size_t)b * (size_t)L->hidden * 4 * VW, 4 * VW,
		        off);
		VEC c = V_LOAD(L->c + u0);
		const VEC h = ks_lstm_update(acc, &c, fast, peep, L->peep + u0, hp);
		V_STORE(L->c + u0, c);
		V_STORE(hout + u0, h);
	}
}

// One step in place: through the scratch gx when there are several blocks.
KS_INLINE void ks_lstm(RecurrentLayer *L, const float *x, int ni, int fast, int peep)
{
	if (L->hp == VW) {
		ks_lstm_io(L, x, ni, fast, peep, L->h, L->h, 0);
	} else {
		ks_lstm_io(L, x, ni, fast, peep, L->h, L->gx, L->sweep);
		L->sweep ^= 1;
		ks_copy(L->h, L->gx, L->hp);
	}
}

// The GRU cell on one block: acc holds r, z and the recurrent part of n; nx the input part.
KS_INLINE VEC ks_gru_update(VEC acc[3][KP], const VEC *nx, VEC h, int fast)
{
	const VEC r = ks_sig(ks_sum(acc[0]), fast);
	const VEC z = ks_sig(ks_sum(acc[1]), fast);
	const VEC nn = ks_tanh(V_FMA(r, ks_sum(acc[2]), ks_sum(nx)), fast);
	return V_FMA(z, V_SUB(h, nn), nn);
}

// GRU: r and z sum both parts; n needs its input part and its recurrent part apart. hin, hout
// and rev as for ks_lstm_io.
KS_INLINE void ks_gru_io(RecurrentLayer *L, const float *x, int ni, int fast, const float *hin,
                         float *hout, int rev)
{
	const int hp = L->hp, nb = hp / VW;
	for (int i = 0; i < nb; i++) {
		const int b = rev ? nb - 1 - i : i;
		const size_t u0 = (size_t)b * VW;
		const size_t bias[3] = {u0, hp + u0, 2 * (size_t)hp + u0};
		const size_t off[3] = {0, VW, 2 * VW};
		const float *wx = L->wx + (size_t)b * (size_t)ni * 3 * VW;
		VEC acc[3][KP], accx[1][KP];
		acc[0][0] = V_ADD(V_LOAD(L->bx + bias[0]), V_LOAD(L->bh + bias[0]));
		acc[1][0] = V_ADD(V_LOAD(L->bx + bias[1]), V_LOAD(L->bh + bias[1]));
		acc[2][0] = V_LOAD(L->bh + bias[2]);
		accx[0][0] = V_LOAD(L->bx + bias[2]);
		ks_zero_partials(acc, 3);
		ks_zero_partials(accx, 1);
		ks_rows(acc, 2, x, ni, wx, 3 * VW, off);
		ks_rows(accx, 1, x, ni, wx, 3 * VW, off + 2);
		ks_rows(acc, 3, hin, L->hidden, L->wh + (size_t)b * (size_t)L->hidden * 3 * VW, 3 * VW,
		        off);
		V_STORE(hout + u0, ks_gru_update(acc, accx[0], V_LOAD(hin + u0), fast));
	}
}

KS_INLINE void ks_gru(RecurrentLayer *L, const float *x, int ni, int fast)
{
	if (L->hp == VW) {
		ks_gru_io(L, x, ni, fast, L->h, L->h, 0);
	} else {
		ks_gru_io(L, x, ni, fast, L->h, L->gx, L->sweep);
		L->sweep ^= 1;
		ks_copy(L->h, L->gx, L->hp);
	}
}

KS_INLINE VEC ks_activate(VEC v, Activation act, int fast)
{
	switch (act) {
	case ACT_TANH: return ks_tanh(v, fast);
	case ACT_SIGMOID: return ks_sig(v, fast);
	case ACT_RELU: return V_MAX(v, V_ZERO());
	case ACT_LINEAR: break;
	}
	return v;
}

// Narrow layers (the head above all) use dot products over the row-major copy; wide ones
// broadcast each input over the transposed weights, four output vectors at a time.
enum { KS_DOT_MAX_OUTPUTS = 4 };

KS_INLINE void ks_dense(DenseLayer *D, const float *x, int fast)
{
	float *y = D->y;
	if (D->outputs <= KS_DOT_MAX_OUTPUTS) {
		for (int o = 0; o < D->outputs; o++) {
			const float *w = D->w + (size_t)o * (size_t)D->ip;
			VEC a0 = V_ZERO(), a1 = V_ZERO();
			int i = 0;
			for (; i + 2 * VW <= D->ip; i += 2 * VW) {
				a0 = V_FMA(V_LOAD(x + i), V_LOAD(w + i), a0);
				a1 = V_FMA(V_LOAD(x + i + VW), V_LOAD(w + i + VW), a1);
			}
			if (i < D->ip)
				a0 = V_FMA(V_LOAD(x + i), V_LOAD(w + i), a0);
			y[o] = V_HSUM(V_ADD(a0, a1)) + D->b[o];
		}
		for (int o = D->outputs; o < D->op; o++)
			y[o] = 0.0f;
		if (D->activation != ACT_LINEAR)
			for (int o = 0; o < D->op; o += VW)
				V_STORE(y + o, ks_activate(V_LOAD(y + o), D->activation, fast));
		return;
	}
	int o = 0;
	for (; o + 4 * VW <= D->op; o += 4 * VW) {
		VEC a[4];
		for (int t = 0; t < 4; t++)
			a[t] = V_LOAD(D->b + o + t * VW);
		for (int i = 0; i < D->inputs; i++) {
			const VEC s = V_BCAST(x + i);
			const float *row = D->wt + (size_t)i * (size_t)D->op + o;
			for (int t = 0; t < 4; t++)
				a[t] = V_FMA(s, V_LOAD(row + t * VW), a[t]);
		}
		for (int t = 0; t < 4; t++)
			V_STORE(y + o + t * VW, ks_activate(a[t], D->activation, fast));
	}
	for (; o < D->op; o += VW) {
		VEC a = V_LOAD(D->b + o);
		for (int i = 0; i < D->inputs; i++)
			a = V_FMA(V_BCAST(x + i), V_LOAD(D->wt + (size_t)i * (size_t)D->op + o), a);
		V_STORE(y + o, ks_activate(a, D->activation, fast));
	}
}

// acc[g][j % KP] += h[j] * w[j * stride + off[g]] with h in a register: lane j is broadcast by
// a permute (about 3 cycles) rather than stored and loaded back (about 6).
KS_INLINE void ks_rows_reg(VEC acc[][KP], int ng, VEC h, int rows, const float *w, size_t stride,
                           const size_t *off)
{
	int j = 0;
	for (; j + KP <= rows; j += KP) {
		for (int k = 0; k < KP; k++) {
			const VEC s = V_LANE(h, j + k);
			const float *row = w + (size_t)(j + k) * stride;
			for (int g = 0; g < ng; g++)
				acc[g][k] = V_FMA(s, V_LOAD(row + off[g]), acc[g][k]);
		}
	}
	for (int k = 0; k < KP - 1; k++) {
		if (j + k < rows) {
			const VEC s = V_LANE(h, j + k);
			const float *row = w + (size_t)(j + k) * stride;
			for (int g = 0; g < ng; g++)
				acc[g][k] = V_FMA(s, V_LOAD(row + off[g]), acc[g][k]);
		}
	}
}

// The head: b + w . h over the padded width (its padding weights are zero).
KS_INLINE float ks_head(const DenseLayer *D, const float *h)
{
	VEC a0 = V_ZERO(), a1 = V_ZERO();
	int i = 0;
	for (; i + 2 * VW <= D->ip; i += 2 * VW) {
		a0 = V_FMA(V_LOAD(h + i), V_LOAD(D->w + i), a0);
		a1 = V_FMA(V_LOAD(h + i + VW), V_LOAD(D->w + i + VW), a1);
	}
	if (i < D->ip)
		a0 = V_FMA(V_LOAD(h + i), V_LOAD(D->w + i), a0);
	return V_HSUM(V_ADD(a0, a1)) + D->b[0];
}

// acc[g][j % KP] += h[j] * w[j * stride + off[g]], reading h's lanes from hmem when it is given
// (the state as the last call stored it: broadcast loads, nothing to set up) and else from the
// register h (permutes). Either way the same products go to the same partial sums in order.
KS_INLINE void ks_rows_state(VEC acc[][KP], int ng, VEC h, const float *hmem, int rows,
                             const float *w, size_t stride, const size_t *off)
{
	if (hmem)
		ks_rows(acc, ng, hmem, rows, w, stride, off);
	else
		ks_rows_reg(acc, ng, h, rows, w, stride, off);
}

// The head of the whole-call kernels: the sum of prod (w * h lane by lane) + b, plus the input
// when skip is on.
KS_INLINE float ks_head_reg(VEC prod, float bd, int skip, float xt)
{
	return V_HSUM(prod) + bd + (skip ? xt : 0.0f);
}

// The input side of block b of a one-input layer: per gate, bias + x * input weight in the first
// partial sum. A GRU's r and z take both biases; n keeps its input part apart in nx, and its
// recurrent part starts at its recurrent bias. Read from memory: these FMAs are off the
// recurrent chain, and weights held in registers across frames would only be spilled.
KS_INLINE void ks_input_gates(const RecurrentLayer *L, int b, VEC xs, VEC acc[][KP], VEC *nx,
                              int gru)
{
	const size_t u0 = (size_t)b * VW, hp = (size_t)L->hp;
	const int G = gru ? 3 : 4;
	const float *wx = L->wx + u0 * (size_t)G;
	if (gru) {
		for (int g = 0; g < 2; g++)
			acc[g][0] = V_FMA(xs, V_LOAD(wx + g * VW),
			                  V_ADD(V_LOAD(L->bx + g * hp + u0), V_LOAD(L->bh + g * hp + u0)));
		acc[2][0] = V_LOAD(L->bh + 2 * hp + u0);
		nx[0] = V_FMA(xs, V_LOAD(wx + 2 * VW), V_LOAD(L->bx + 2 * hp + u0));
		for (int k = 1; k < KP; k++)
			nx[k] = V_ZERO();
	} else {
		for (int g = 0; g < 4; g++)
			acc[g][0] = V_FMA(xs, V_LOAD(wx + g * VW), V_LOAD(L->bx + g * hp + u0));
	}
	ks_zero_partials(acc, G);
}

// One frame of a one-input layer with a single block of units: returns the new h and updates *c
// (LSTM). hmem as for ks_rows_state.
KS_INLINE VEC ks_cell1(const RecurrentLayer *L, VEC xs, VEC h, const float *hmem, VEC *c, int fast,
                       int gru, int rows)
{
	const size_t off[4] = {0, VW, 2 * VW, 3 * VW};
	if (gru) {
		VEC acc[3][KP], nx[KP];
		ks_input_gates(L, 0, xs, acc, nx, 1);
		ks_rows_state(acc, 3, h, hmem, rows, L->wh, 3 * VW, off);
		return ks_gru_update(acc, nx, h, fast);
	}
	VEC acc[4][KP];
	ks_input_gates(L, 0, xs, acc, NULL, 0);
	ks_rows_state(acc, 4, h, hmem, rows, L->wh, 4 * VW, off);
	return ks_lstm_update(acc, c, fast, 0, NULL, VW);
}

// ks_run1 with a single block of units: h and c live in registers for the whole call.
KS_INLINE void ks_run1_reg(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y,
                           uint32_t n, int fast, int gru, int rows)
{
	const VEC wd = V_LOAD(D->w);
	const float bd = D->b[0];
	VEC h = V_LOAD(L->h), c = V_LOAD(L->c);
	for (uint32_t t = 0; t < n; t++) {
		const float xt = x[t];
		h = ks_cell1(L, V_SET1(xt), h, NULL, &c, fast, gru, rows);
		y[t] = ks_head_reg(V_MUL(h, wd), bd, skip, xt);
	}
	V_STORE(L->h, h);
	V_STORE(L->c, c);
}

// ks_run1_reg for a call of one frame, the same arithmetic. h's lanes come by permutes from the
// loaded vector when the block is full (constant indices: a one-frame call at H = 8 took 1.2
// times a frame of a long call, against 1.4 with broadcasts from memory) and else from memory
// (the indices of a partial block are computed, and then broadcasts were as fast or faster).
KS_INLINE void ks_frame_reg(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y,
                            int fast, int gru, int rows)
{
	const float xt = x[0];
	VEC c = V_LOAD(L->c);
	const float *hmem = rows == VW ? NULL : L->h;
	const VEC h = ks_cell1(L, V_SET1(xt), V_LOAD(L->h), hmem, &c, fast, gru, rows);
	y[0] = ks_head_reg(V_MUL(h, V_LOAD(D->w)), D->b[0], skip, xt);
	V_STORE(L->h, h);
	V_STORE(L->c, c);
}

// One frame of an LSTM with two blocks of units (VW < H <= 2 VW), the two cells side by side
// so that their dependency chains overlap rather than queue behind each other's weights. *h0,
// *c0 and *h1, *c1: the blocks' state, updated in place; hmem as for ks_rows_state. rows1 =
// H - VW: the rows read from the second half of h.
KS_INLINE void ks_cell2(const RecurrentLayer *L, VEC xs, VEC *h0, VEC *h1, const float *hmem,
                        VEC *c0, VEC *c1, int fast, int rows1)
{
	const size_t stride = 4 * VW;
	const size_t off[4] = {0, VW, 2 * VW, 3 * VW};
	const float *wh0 = L->wh, *wh1 = L->wh + (size_t)L->hidden * stride;
	const float *hmem1 = hmem ? hmem + VW : NULL;
	VEC a0[4][KP], a1[4][KP];
	ks_input_gates(L, 0, xs, a0, NULL, 0);
	ks_input_gates(L, 1, xs, a1, NULL, 0);
	ks_rows_state(a0, 4, *h0, hmem, VW, wh0, stride, off);
	ks_rows_state(a1, 4, *h0, hmem, VW, wh1, stride, off);
	ks_rows_state(a0, 4, *h1, hmem1, rows1, wh0 + VW * stride, stride, off);
	ks_rows_state(a1, 4, *h1, hmem1, rows1, wh1 + VW * stride, stride, off);
	*h0 = ks_lstm_update(a0, c0, fast, 0, NULL, 2 * VW);
	*h1 = ks_lstm_update(a1, c1, fast, 0, NULL, 2 * VW);
}

// ks_run1 for an LSTM with two blocks of units: as ks_run1_reg, h and c stay in registers.
KS_INLINE void ks_run1_reg2(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y,
                            uint32_t n, int fast, int rows1)
{
	const VEC wd0 = V_LOAD(D->w), wd1 = V_LOAD(D->w + VW);
	const float bd = D->b[0];
	VEC h0 = V_LOAD(L->h), h1 = V_LOAD(L->h + VW);
	VEC c0 = V_LOAD(L->c), c1 = V_LOAD(L->c + VW);
	for (uint32_t t = 0; t < n; t++) {
		const float xt = x[t];
		ks_cell2(L, V_SET1(xt), &h0, &h1, NULL, &c0, &c1, fast, rows1);
		y[t] = ks_head_reg(V_ADD(V_MUL(h0, wd0), V_MUL(h1, wd1)), bd, skip, xt);
	}
	V_STORE(L->h, h0);
	V_STORE(L->h + VW, h1);
	V_STORE(L->c, c0);
	V_STORE(L->c + VW, c1);
}

// ks_run1_reg2 for a call of one frame: h's lanes broadcast from memory (at H = 12 a one-frame
// call took 1.1 times a frame of a long call, against 1.3 with permutes; at H = 16 the same).
KS_INLINE void ks_frame_reg2(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y,
                             int fast, int rows1)
{
	const float xt = x[0];
	VEC h0 = V_LOAD(L->h), h1 = V_LOAD(L->h + VW);
	VEC c0 = V_LOAD(L->c), c1 = V_LOAD(L->c + VW);
	ks_cell2(L, V_SET1(xt), &h0, &h1, L->h, &c0, &c1, fast, rows1);
	const VEC prod = V_ADD(V_MUL(h0, V_LOAD(D->w)), V_MUL(h1, V_LOAD(D->w + VW)));
	y[0] = ks_head_reg(prod, D->b[0], skip, xt);
	V_STORE(L->h, h0);
	V_STORE(L->h + VW, h1);
	V_STORE(L->c, c0);
	V_STORE(L->c + VW, c1);
}

// Several blocks: the state alternates between h and the scratch gx, no copy per frame. The
// block order carries on from the last call, so calls of one frame alternate it too.
KS_INLINE void ks_run1_blocks(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y,
                              uint32_t n, int fast, int gru)
{
	float *hin = L->h, *hout = L->gx;
	for (uint32_t t = 0; t < n; t++) {
		const float xt = x[t];
		if (gru)
			ks_gru_io(L, &xt, 1, fast, hin, hout, L->sweep);
		else
			ks_lstm_io(L, &xt, 1, fast, 0, hin, hout, L->sweep);
		L->sweep ^= 1;
		y[t] = ks_head(D, hout) + (skip ? xt : 0.0f);
		float *tmp = hin;
		hin = hout;
		hout = tmp;
	}
	if (hin != L->h)
		ks_copy(L->h, hin, L->hp);
}

// Whole calls for the common shape (see Run1Fn): one frame after another with nothing between.
// With one or two blocks of units the state stays in registers for the whole call. Full blocks
// (H = 8, 16 or 32) get constant row counts, so their rows unroll completely.
KS_INLINE void ks_run1(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y,
                       uint32_t n, int fast, int gru)
{
	if (L->hp == VW) {
		if (L->hidden == VW)
			ks_run1_reg(L, D, skip, x, y, n, fast, gru, VW);
		else
			ks_run1_reg(L, D, skip, x, y, n, fast, gru, L->hidden);
	} else if (!gru && L->hp == 2 * VW) {
		if (L->hidden == 2 * VW)
			ks_run1_reg2(L, D, skip, x, y, n, fast, VW);
		else
			ks_run1_reg2(L, D, skip, x, y, n, fast, L->hidden - VW);
	} else {
		ks_run1_blocks(L, D, skip, x, y, n, fast, gru);
	}
}

// A call of one frame (see Frame1Fn), in a function of its own so that it carries none of the
// whole call's setup. lstm_net_process() calls it only for the layers it has a path for
// (layout_has_frame1_path); any other hands over to the whole-call kernel.
KS_INLINE void ks_frame1(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y,
                         int fast, int gru, Run1Fn whole)
{
	if (L->hp == VW) {
		if (L->hidden == VW)
			ks_frame_reg(L, D, skip, x, y, fast, gru, VW);
		else
			ks_frame_reg(L, D, skip, x, y, fast, gru, L->hidden);
	} else if (!gru && L->hp == 2 * VW) {
		if (L->hidden == 2 * VW)
			ks_frame_reg2(L, D, skip, x, y, fast, VW);
		else
			ks_frame_reg2(L, D, skip, x, y, fast, L->hidden - VW);
	} else {
		whole(L, D, skip, x, y, 1);
	}
}

// The tables' entry points. The whole-call ones are not inlined into the one-frame ones, which
// hand over to them for layers without a path of their own.
#define KS_RUN1_ENTRY(NAME, FAST, GRU)                                                             \
	static __attribute__((noinline)) void NAME(RecurrentLayer *L, DenseLayer *D, int skip,         \
	                                           const float *x, float *y, uint32_t n)               \
	{                                                                                              \
		ks_run1(L, D, skip, x, y, n, FAST, GRU);                                                   \
	}
#define KS_FRAME1_ENTRY(NAME, FAST, GRU, WHOLE)                                                    \
	static void NAME(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y)         \
	{                                                                                              \
		ks_frame1(L, D, skip, x, y, FAST, GRU, WHOLE);                                             \
	}
KS_RUN1_ENTRY(ks_run1_lstm_exact, 0, 0)
KS_RUN1_ENTRY(ks_run1_lstm_fast, 1, 0)
KS_RUN1_ENTRY(ks_run1_gru_exact, 0, 1)
KS_RUN1_ENTRY(ks_run1_gru_fast, 1, 1)
KS_FRAME1_ENTRY(ks_frame1_lstm_exact, 0, 0, ks_run1_lstm_exact)
KS_FRAME1_ENTRY(ks_frame1_lstm_fast, 1, 0, ks_run1_lstm_fast)
KS_FRAME1_ENTRY(ks_frame1_gru_exact, 0, 1, ks_run1_gru_exact)
KS_FRAME1_ENTRY(ks_frame1_gru_fast, 1, 1, ks_run1_gru_fast)

static void ks_lstm_exact(RecurrentLayer *L, const float *x) { ks_lstm(L, x, L->inputs, 0, 0); }
static void ks_lstm_fast(RecurrentLayer *L, const float *x) { ks_lstm(L, x, L->inputs, 1, 0); }
static void ks_peep_exact(RecurrentLayer *L, const float *x) { ks_lstm(L, x, L->inputs, 0, 1); }
static void ks_peep_fast(RecurrentLayer *L, const float *x) { ks_lstm(L, x, L->inputs, 1, 1); }
static void ks_gru_exact(RecurrentLayer *L, const float *x) { ks_gru(L, x, L->inputs, 0); }
static void ks_gru_fast(RecurrentLayer *L, const float *x) { ks_gru(L, x, L->inputs, 1); }
static void ks_dense_exact(DenseLayer *D, const float *x) { ks_dense(D, x, 0); }
static void ks_dense_fast(DenseLayer *D, const float *x) { ks_dense(D, x, 1); }

static const KernelSet ks_exact_set = {ks_lstm_exact,        ks_peep_exact,      ks_gru_exact,
                                       ks_dense_exact,       ks_run1_lstm_exact, ks_run1_gru_exact,
                                       ks_frame1_lstm_exact, ks_frame1_gru_exact};
static const KernelSet ks_fast_set = {ks_lstm_fast,        ks_peep_fast,      ks_gru_fast,
                                      ks_dense_fast,       ks_run1_lstm_fast, ks_run1_gru_fast,
                                      ks_frame1_lstm_fast, ks_frame1_gru_fast};

const KernelSet *KS_KERNELS(LstmActivations act)
{
	return act == LSTM_ACT_FAST ? &ks_fast_set : &ks_exact_set;
}

#endif
