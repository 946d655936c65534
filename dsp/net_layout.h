// SPDX-License-Identifier: ISC
// Internal: how a built network lays out its weights and state, and the kernel table that each
// instruction set (scalar, AVX2, AVX-512) fills. Only dsp/ includes this.
//
// Every per-layer vector is padded to a multiple of the network's lane (LSTM_LANE floats for
// the scalar and AVX2 kernels, LSTM_LANE_AVX512 for AVX-512, so that a vector never straddles two
// gate blocks) and 64-byte aligned, with zeros in the padding. A padded unit has zero weights and
// zero initial state, and the cell equations keep it at exactly zero, so kernels may run over the
// padding without masking.
#ifndef LSTM_NET_LAYOUT_H
#define LSTM_NET_LAYOUT_H

#include "lstm_net.h"

enum { LSTM_LANE = 8, LSTM_LANE_AVX512 = 16, LSTM_ALIGN = 64 };

typedef struct {
	CellType cell;
	int inputs; // I: rows of wx
	int hidden; // H: rows of wh
	int hp;     // H padded to the lane
	int lane;   // units per block: LSTM_LANE or LSTM_LANE_AVX512
	int gates;  // G: 4 (LSTM types) or 3 (GRU)
	// Weights in blocks of `lane` units. Block b holds, row by row, the G gate slices of the
	// units b*lane .. b*lane+lane-1, so a kernel working on one block of units streams through
	// one contiguous run of memory (rows*G*lane floats): no strided access that would alias in
	// the cache, and one input value scales one contiguous G*lane slice.
	float *wx; // [hp/lane][I][G][lane]
	float *wh; // [hp/lane][H][G][lane]
	// Per-unit vectors, gate-major: gate block g of unit u is at [g*hp + u].
	float *bx;      // [G*hp] LSTM: b_ih + b_hh; GRU: b_ih
	float *bh;      // [G*hp] GRU: b_hh; LSTM: unused (zeros)
	float *peep;    // [3][hp] p_i, p_f, p_o (peephole only, else zeros)
	float *h0, *c0; // [hp]
	float *h, *c;   // [hp] the state
	float *gx, *gh; // [G*hp] scratch: pre-activations from the input and from the state
	int sweep;      // vector kernels: the order of the next step's blocks (no effect on results)
} RecurrentLayer;

typedef struct {
	int inputs;
	int outputs;
	int op; // outputs padded to the lane
	int ip; // inputs padded to the lane (the width of the padded vector x points to)
	Activation activation;
	float *wt; // [inputs][op] transposed weights
	float *w;  // [outputs][ip] the same weights row by row, for narrow layers (dot products)
	float *b;  // [op]
	float *y;  // [op] scratch output
} DenseLayer;

// One time step of a recurrent layer: reads x[L->inputs] and L->h/L->c, writes the new state
// into L->h/L->c. x never aliases L->h.
typedef void (*RecurrentStepFn)(RecurrentLayer *L, const float *x);
// y = act(W x + b) into D->y; x holds D->ip floats (padding finite, its weights zero).
typedef void (*DenseFn)(DenseLayer *D, const float *x);

// Whole calls for the commonest network: one LSTM or GRU layer fed by one input, then only the
// head (one dense layer, one output, linear), skip 0 or 1. Runs n frames:
// y[t] = head(h_t) + skip * x[t], reading x[t] before writing y[t] (x and y may be one array).
// Each frame's arithmetic does not depend on n, so any split into calls gives the same output.
typedef void (*Run1Fn)(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y,
                       uint32_t n);
// Run1Fn for n = 1: the same output and state, without the setup that pays off over many frames.
typedef void (*Frame1Fn)(RecurrentLayer *L, DenseLayer *D, int skip, const float *x, float *y);

typedef struct {
	RecurrentStepFn lstm;
	RecurrentStepFn lstm_peephole;
	RecurrentStepFn gru;
	DenseFn dense;
	Run1Fn run1_lstm; // NULL when the set has none (then frames go through the step kernels)
	Run1Fn run1_gru;
	Frame1Fn frame1_lstm; // NULL exactly when run1_lstm is
	Frame1Fn frame1_gru;
} KernelSet;

// Whether the one-frame kernels (Frame1Fn) have a path of their own for this layer: one block of
// units, or two for an LSTM. Wider layers gain nothing from them, so lstm_net_process() runs
// their one-frame calls through the whole-call kernel directly.
static inline int layout_has_frame1_path(const RecurrentLayer *L)
{
	return L->hp == L->lane || (L->cell == CELL_LSTM && L->hp == 2 * L->lane);
}

// Index of weight (row j, gate g, unit u) in a layer's blocked wx or wh with `rows` rows.
static inline size_t layout_weight_index(const RecurrentLayer *L, int rows, int j, int g, int u)
{
	const size_t lane = (size_t)L->lane;
	const size_t b = (size_t)u / lane;
	return ((b * (size_t)rows + (size_t)j) * (size_t)L->gates + (size_t)g) * lane
	       + (size_t)u % lane;
}

// Kernel tables. Each returns NULL when the ISA was not compiled in.
const KernelSet *kernels_scalar(LstmActivations act);
const KernelSet *kernels_avx2(LstmActivations act);
const KernelSet *kernels_avx512(LstmActivations act);

#endif
