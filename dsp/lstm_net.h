// SPDX-License-Identifier: ISC
// The real-time network: built once from a validated ModelDesc, then run sample by sample.
//
// Threads: lstm_net_create() and lstm_net_destroy() allocate and free, so they belong on a
// worker thread (or at instantiation). lstm_net_reset(), lstm_net_process() and the getters
// touch only the network's own block of memory: no allocation, lock, system call, I/O or
// printing, so the audio thread may call them.
#ifndef LSTM_NET_H
#define LSTM_NET_H

#include "model_desc.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct LstmNet LstmNet;

typedef enum {
	// expf/tanhf from libm, element by element.
	LSTM_ACT_EXACT = 0,
	// Vectorised polynomial approximations; largest error documented in dsp/fast_math.h.
	LSTM_ACT_FAST = 1,
} LstmActivations;

typedef enum {
	LSTM_ISA_AUTO = 0,   // the best this CPU runs (checked at run time)
	LSTM_ISA_SCALAR = 1, // plain C, any x86-64 (and any other CPU)
	LSTM_ISA_AVX2 = 2,   // AVX2 + FMA
	LSTM_ISA_AVX512 = 3, // AVX-512F
} LstmIsa;

typedef struct {
	LstmActivations activations;
	LstmIsa isa;
} LstmNetOptions;

// The options lstm_net_create() uses when given NULL: fast activations, best ISA.
LstmNetOptions lstm_net_default_options(void);

// Whether this CPU can run the given ISA (LSTM_ISA_AUTO and SCALAR: always). Any thread.
int lstm_isa_supported(LstmIsa isa);
const char *lstm_isa_name(LstmIsa isa);

// Validates m and builds a network holding a copy of its weights, its state and all scratch in
// one aligned allocation; the state starts at h0/c0. opt may be NULL. Returns NULL and fills err
// (when not NULL) if m is invalid, the ISA is not supported, or memory runs out. Worker thread.
LstmNet *lstm_net_create(const ModelDesc *m, const LstmNetOptions *opt, ModelError *err);

// Frees everything. NULL is a no-op. Worker thread.
void lstm_net_destroy(LstmNet *net);

// Returns the state to h0/c0. Audio thread.
void lstm_net_reset(LstmNet *net);

// Runs n frames. inputs[c][t] is input channel c (audio first, then conditioning) at frame t;
// there are lstm_net_inputs() channel pointers. output may alias inputs[0]. Any n from 0 up;
// splitting a signal into blocks of any sizes gives bit-identical output. Flush-to-zero and
// denormals-are-zero are set for the duration of the call when the caller has not set them,
// and the caller's modes are restored after (denormals.h). Audio thread.
void lstm_net_process(LstmNet *net, const float *const *inputs, float *output, uint32_t n);

// Same for a single frame: x[c] for each input channel. Audio thread.
float lstm_net_process_frame(LstmNet *net, const float *x);

// Whether every state value is finite. Audio thread.
int lstm_net_state_is_finite(const LstmNet *net);

int lstm_net_inputs(const LstmNet *net);
double lstm_net_sample_rate(const LstmNet *net);
LstmIsa lstm_net_isa(const LstmNet *net);
LstmActivations lstm_net_activations(const LstmNet *net);
// Bytes in the network's single allocation.
size_t lstm_net_memory_size(const LstmNet *net);

// Copies the state of every layer (h then c, layer by layer, unpadded) into out, which holds
// lstm_net_state_size() floats; and back. Audio thread.
size_t lstm_net_state_size(const LstmNet *net);
void lstm_net_get_state(const LstmNet *net, float *out);
void lstm_net_set_state(LstmNet *net, const float *in);

#ifdef __cplusplus
}
#endif

#endif
