// SPDX-License-Identifier: ISC
// LstmNet: lays a validated ModelDesc out for the kernels in one aligned block, picks the
// kernel set for this CPU, and runs frames through the layers.
#include "lstm_net.h"

#include "denormals.h"
#include "net_layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct LstmNet {
	int inputs;
	int skip;
	double sample_rate;
	LstmIsa isa;
	LstmActivations activations;
	const KernelSet *kernels;
	Run1Fn run1;     // the whole-call kernel when the network has its shape, else NULL
	Frame1Fn frame1; // its one-frame call where that has a path of its own, else NULL
	int num_layers;
	RecurrentLayer layers[MODEL_MAX_LAYERS];
	int num_dense;
	DenseLayer dense[MODEL_MAX_DENSE];
	float *x0;         // [LSTM_LANE] the current frame's inputs
	size_t state_size; // floats in lstm_net_get_state()
	size_t bytes;      // the whole allocation, this struct included
};

static int round_up(int n, int to) { return (n + to - 1) / to * to; }

// Bump allocator over the single block; with base == NULL it only counts.
typedef struct {
	char *base;
	size_t used;
} Carver;

static float *carve(Carver *cv, size_t floats)
{
	size_t bytes = (floats * sizeof(float) + LSTM_ALIGN - 1) / LSTM_ALIGN * LSTM_ALIGN;
	float *p = cv->base ? (float *)(cv->base + cv->used) : NULL;
	cv->used += bytes;
	return p;
}

LstmNetOptions lstm_net_default_options(void)
{
	LstmNetOptions o = {LSTM_ACT_FAST, LSTM_ISA_AUTO};
	return o;
}

const char *lstm_isa_name(LstmIsa isa)
{
	switch (isa) {
	case LSTM_ISA_AUTO: return "auto";
	case LSTM_ISA_SCALAR: return "scalar";
	case LSTM_ISA_AVX2: return "avx2";
	case LSTM_ISA_AVX512: return "avx512";
	}
	return "unknown";
}

int lstm_isa_supported(LstmIsa isa)
{
	switch (isa) {
	case LSTM_ISA_AUTO:
	case LSTM_ISA_SCALAR: return 1;
#ifdef LSTM_HAVE_X86_KERNELS
	case LSTM_ISA_AVX2:
		return kernels_avx2(LSTM_ACT_EXACT) && __builtin_cpu_supports("avx2")
		       && __builtin_cpu_supports("fma");
	case LSTM_ISA_AVX512:
		return kernels_avx512(LSTM_ACT_EXACT) && __builtin_cpu_supports("avx512f")
		       && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx2")
		       && __builtin_cpu_supports("fma");
#else
	default: return 0;
#endif
	}
	return 0;
}

static const KernelSet *kernels_for(LstmIsa isa, LstmActivations act)
{
	switch (isa) {
#ifdef LSTM_HAVE_X86_KERNELS
	case LSTM_ISA_AVX2: return kernels_avx2(act);
	case LSTM_ISA_AVX512: return kernels_avx512(act);
#endif
	default: return kernels_scalar(act);
	}
}

// The fastest instruction set for this model on this CPU. Measured with bench/bench_engine.c
// and min-of-runs A/B timing (LSTM, fast activations, ns a sample): up to 8 units a layer fit
// one 256-bit vector, and AVX-512 would be half padding with longer latencies on the recurrent
// chain (H=8: 54 against 45 for AVX2); from 9 units on AVX-512 wins (H=12: 59 against 77;
// H=16: 98 against 150 and H=64: 708 against 1126 before the activations were shortened).
static LstmIsa best_isa(const ModelDesc *m)
{
	int widest = 0;
	for (int k = 0; k < m->num_layers; k++)
		if (m->layers[k].hidden > widest)
			widest = m->layers[k].hidden;
	if (widest > LSTM_LANE && lstm_isa_supported(LSTM_ISA_AVX512))
		return LSTM_ISA_AVX512;
	if (lstm_isa_supported(LSTM_ISA_AVX2))
		return LSTM_ISA_AVX2;
	if (lstm_isa_supported(LSTM_ISA_AVX512))
		return LSTM_ISA_AVX512;
	return LSTM_ISA_SCALAR;
}

// Assigns every array of the network from the carver; with a NULL base it only sizes them.
static void lay_out(LstmNet *net, const ModelDesc *m, int lane, Carver *cv)
{
	for (int k = 0; k < m->num_layers; k++) {
		const RecurrentLayerDesc *d = &m->layers[k];
		RecurrentLayer *L = &net->layers[k];
		L->cell = d->cell;
		L->inputs = d->inputs;
		L->hidden = d->hidden;
		L->hp = round_up(d->hidden, lane);
		L->lane = lane;
		L->gates = model_cell_gates(d->cell);
		size_t n = (size_t)L->gates * (size_t)L->hp;
		L->wx = carve(cv, (size_t)L->inputs * n);
		L->wh = carve(cv, (size_t)L->hidden * n);
		L->bx = carve(cv, n);
		L->bh = carve(cv, n);
		L->peep = carve(cv, 3 * (size_t)L->hp);
		L->h0 = carve(cv, (size_t)L->hp);
		L->c0 = carve(cv, (size_t)L->hp);
		L->h = carve(cv, (size_t)L->hp);
		L->c = carve(cv, (size_t)L->hp);
		L->gx = carve(cv, n);
		L->gh = carve(cv, n);
	}
	for (int k = 0; k < m->num_dense; k++) {
		const DenseLayerDesc *d = &m->dense[k];
		DenseLayer *D = &net->dense[k];
		D->inputs = d->inputs;
		D->outputs = d->outputs;
		D->op = round_up(d->outputs, lane);
		D->ip = round_up(d->inputs, lane);
		D->activation = d->activation;
		D->wt = carve(cv, (size_t)D->inputs * (size_t)D->op);
		D->w = carve(cv, (size_t)D->outputs * (size_t)D->ip);
		D->b = carve(cv, (size_t)D->op);
		D->y = carve(cv, (size_t)D->op);
	}
	net->x0 = carve(cv, LSTM_LANE);
}

// Copies one layer's PyTorch-layout weights into the blocked, gate-padded layout.
static void fill_layer(RecurrentLayer *L, const RecurrentLayerDesc *d)
{
	const int G = L->gates, H = d->hidden, hp = L->hp;
	for (int g = 0; g < G; g++) {
		for (int u = 0; u < H; u++) {
			size_t row = (size_t)g * (size_t)H + (size_t)u; // PyTorch row of gate g, unit u
			size_t col = (size_t)g * (size_t)hp + (size_t)u;
			for (int i = 0; i < d->inputs; i++)
				L->wx[layout_weight_index(L, d->inputs, i, g, u)] =
					d->w_ih[row * (size_t)d->inputs + (size_t)i];
			for (int i = 0; i < H; i++)
				L->wh[layout_weight_index(L, H, i, g, u)] = d->w_hh[row * (size_t)H + (size_t)i];
			if (d->cell == CELL_GRU) {
				L->bx[col] = d->b_ih[row];
				L->bh[col] = d->b_hh[row];
			} else {
				L->bx[col] = d->b_ih[row] + d->b_hh[row];
			}
		}
	}
	if (d->peephole)
		for (int g = 0; g < 3; g++)
			for (int u = 0; u < H; u++)
				L->peep[g * hp + u] = d->peephole[g * H + u];
	for (int u = 0; u < H; u++) {
		L->h0[u] = d->h0 ? d->h0[u] : 0.0f;
		L->c0[u] = d->c0 ? d->c0[u] : 0.0f;
	}
}

static void fill_dense(DenseLayer *D, const DenseLayerDesc *d)
{
	for (int o = 0; o < d->outputs; o++) {
		for (int i = 0; i < d->inputs; i++) {
			const float w = d->w[(size_t)o * (size_t)d->inputs + (size_t)i];
			D->wt[(size_t)i * (size_t)D->op + (size_t)o] = w;
			D->w[(size_t)o * (size_t)D->ip + (size_t)i] = w;
		}
		D->b[o] = d->b[o];
	}
}

LstmNet *lstm_net_create(const ModelDesc *m, const LstmNetOptions *opt, ModelError *err)
{
	LstmNetOptions o = opt ? *opt : lstm_net_default_options();
	if (model_desc_validate(m, err) != MODEL_OK)
		return NULL;
	if (o.activations != LSTM_ACT_EXACT && o.activations != LSTM_ACT_FAST) {
		model_error_set(err, MODEL_ERR_RANGE, "options: unknown activations %d",
		                (int)o.activations);
		return NULL;
	}
	if (o.isa == LSTM_ISA_AUTO)
		o.isa = best_isa(m);
	if (!lstm_isa_supported(o.isa)) {
		model_error_set(err, MODEL_ERR_RANGE, "options: this CPU or build cannot run %s",
		                lstm_isa_name(o.isa));
		return NULL;
	}

	LstmNet shape;
	memset(&shape, 0, sizeof shape);
	Carver cv = {NULL, (sizeof(LstmNet) + LSTM_ALIGN - 1) / LSTM_ALIGN * LSTM_ALIGN};
	const int lane = o.isa == LSTM_ISA_AVX512 ? LSTM_LANE_AVX512 : LSTM_LANE;
	lay_out(&shape, m, lane, &cv);

	void *block = NULL;
	if (posix_memalign(&block, LSTM_ALIGN, cv.used) != 0) {
		model_error_set(err, MODEL_ERR_NOMEM, "network: cannot allocate %zu bytes", cv.used);
		return NULL;
	}
	memset(block, 0, cv.used);
	LstmNet *net = block;
	Carver fill = {block, (sizeof(LstmNet) + LSTM_ALIGN - 1) / LSTM_ALIGN * LSTM_ALIGN};
	lay_out(net, m, lane, &fill);
	net->bytes = fill.used;
	net->inputs = m->inputs;
	net->skip = m->skip;
	net->sample_rate = m->sample_rate;
	net->isa = o.isa;
	net->activations = o.activations;
	net->kernels = kernels_for(o.isa, o.activations);
	if (m->num_layers == 1 && m->inputs == 1 && m->num_dense == 1 && m->skip <= 1) {
		const int frame1 = layout_has_frame1_path(&net->layers[0]);
		if (m->layers[0].cell == CELL_GRU) {
			net->run1 = net->kernels->run1_gru;
			net->frame1 = frame1 ? net->kernels->frame1_gru : NULL;
		} else if (m->layers[0].cell == CELL_LSTM) {
			net->run1 = net->kernels->run1_lstm;
			net->frame1 = frame1 ? net->kernels->frame1_lstm : NULL;
		}
	}
	net->num_layers = m->num_layers;
	net->num_dense = m->num_dense;
	net->state_size = 0;
	for (int k = 0; k < m->num_layers; k++) {
		fill_layer(&net->layers[k], &m->layers[k]);
		net->state_size += 2 * (size_t)m->layers[k].hidden;
	}
	for (int k = 0; k < m->num_dense; k++)
		fill_dense(&net->dense[k], &m->dense[k]);
	lstm_net_reset(net);
	if (err)
		model_error_set(err, MODEL_OK, "ok");
	return net;
}

void lstm_net_destroy(LstmNet *net) { free(net); }

void lstm_net_reset(LstmNet *net)
{
	for (int k = 0; k < net->num_layers; k++) {
		RecurrentLayer *L = &net->layers[k];
		memcpy(L->h, L->h0, (size_t)L->hp * sizeof(float));
		memcpy(L->c, L->c0, (size_t)L->hp * sizeof(float));
	}
}

// One frame through every layer; x holds the frame's input channels.
static float run_frame(LstmNet *net, const float *x)
{
	const KernelSet *ks = net->kernels;
	const float *in = x;
	for (int k = 0; k < net->num_layers; k++) {
		RecurrentLayer *L = &net->layers[k];
		switch (L->cell) {
		case CELL_LSTM: ks->lstm(L, in); break;
		case CELL_LSTM_PEEPHOLE: ks->lstm_peephole(L, in); break;
		case CELL_GRU: ks->gru(L, in); break;
		}
		in = L->h;
	}
	for (int k = 0; k < net->num_dense; k++) {
		ks->dense(&net->dense[k], in);
		in = net->dense[k].y;
	}
	float y = in[0];
	for (int c = 0; c < net->skip; c++)
		y += x[c];
	return y;
}

// Frames through the step kernels, for the networks without a whole-call kernel. Kept out of
// lstm_net_process() so that a call of one frame to a whole-call kernel does not save and
// restore the registers this loop needs.
static __attribute__((noinline)) void run_frames(LstmNet *net, const float *const *inputs,
                                                 float *output, uint32_t n)
{
	float *x = net->x0;
	const int channels = net->inputs;
	for (uint32_t t = 0; t < n; t++) {
		for (int c = 0; c < channels; c++)
			x[c] = inputs[c][t];
		output[t] = run_frame(net, x);
	}
}

static inline void run_call(LstmNet *net, const float *const *inputs, float *output, uint32_t n)
{
	if (!net->run1)
		run_frames(net, inputs, output, n);
	else if (n == 1 && net->frame1)
		net->frame1(&net->layers[0], &net->dense[0], net->skip, inputs[0], output);
	else
		net->run1(&net->layers[0], &net->dense[0], net->skip, inputs[0], output, n);
}

// For a caller that does not flush: lstm_net_process() has asked already, so only the register.
static __attribute__((noinline)) void run_call_flushed(LstmNet *net, const float *const *inputs,
                                                       float *output, uint32_t n)
{
	const DenormalGuard guard = denormals_flush_set();
	run_call(net, inputs, output, n);
	denormals_flush_end(guard);
}

// A caller that already flushes denormals (the rate paths, the plugin's core, most hosts) gets
// the kernel as a tail call: no guard to keep across it, so no stack frame around a call of one
// frame.
void lstm_net_process(LstmNet *net, const float *const *inputs, float *output, uint32_t n)
{
	if (denormals_already_flushed())
		run_call(net, inputs, output, n);
	else
		run_call_flushed(net, inputs, output, n);
}

float lstm_net_process_frame(LstmNet *net, const float *x)
{
	const float *channels[MODEL_MAX_INPUTS];
	for (int c = 0; c < net->inputs; c++)
		channels[c] = &x[c];
	float y;
	lstm_net_process(net, channels, &y, 1);
	return y;
}

int lstm_net_state_is_finite(const LstmNet *net)
{
	for (int k = 0; k < net->num_layers; k++) {
		const RecurrentLayer *L = &net->layers[k];
		for (int u = 0; u < L->hp; u++)
			if (!isfinite(L->h[u]) || !isfinite(L->c[u]))
				return 0;
	}
	return 1;
}

int lstm_net_inputs(const LstmNet *net) { return net->inputs; }
double lstm_net_sample_rate(const LstmNet *net) { return net->sample_rate; }
LstmIsa lstm_net_isa(const LstmNet *net) { return net->isa; }
LstmActivations lstm_net_activations(const LstmNet *net) { return net->activations; }
size_t lstm_net_memory_size(const LstmNet *net) { return net->bytes; }
size_t lstm_net_state_size(const LstmNet *net) { return net->state_size; }

void lstm_net_get_state(const LstmNet *net, float *out)
{
	for (int k = 0; k < net->num_layers; k++) {
		const RecurrentLayer *L = &net->layers[k];
		memcpy(out, L->h, (size_t)L->hidden * sizeof(float));
		out += L->hidden;
		memcpy(out, L->c, (size_t)L->hidden * sizeof(float));
		out += L->hidden;
	}
}

void lstm_net_set_state(LstmNet *net, const float *in)
{
	for (int k = 0; k < net->num_layers; k++) {
		RecurrentLayer *L = &net->layers[k];
		memcpy(L->h, in, (size_t)L->hidden * sizeof(float));
		in += L->hidden;
		memcpy(L->c, in, (size_t)L->hidden * sizeof(float));
		in += L->hidden;
	}
}
