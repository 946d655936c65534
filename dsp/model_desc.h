// SPDX-License-Identifier: ISC
// The in-memory model description: plain arrays in PyTorch's layouts, filled by the project's
// own reader (model/) and by the importers of other formats, checked by model_desc_validate()
// and turned into a real-time network by lstm_net_create(). Allocating and freeing a ModelDesc
// is worker-thread work; nothing here runs on the audio thread.
#ifndef LSTM_MODEL_DESC_H
#define LSTM_MODEL_DESC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	MODEL_MAX_INPUTS = 4,
	MODEL_MAX_LAYERS = 4,
	MODEL_MAX_HIDDEN = 128,
	MODEL_MAX_DENSE = 4,
	MODEL_MAX_DENSE_WIDTH = 128,
	MODEL_MAX_SELFTEST_FRAMES = 65536,
	MODEL_MAX_CONTROLS = MODEL_MAX_INPUTS - 1,
	MODEL_NAME_LEN = 64,
	MODEL_ERROR_LEN = 256,
};

// The largest latency_samples a model may declare, in seconds at its own rate: 10 ms is far
// above a trainer's margin of a sample or two, and keeps the plugin's reported delay (this
// plus the rate conversion's, at most 10 ms too) within its 8192-frame dry delay line at
// 384 kHz.
#define MODEL_MAX_LATENCY_SECONDS 0.01
// The sample rates a model may be trained at and played from.
#define MODEL_MIN_SAMPLE_RATE 8000.0
#define MODEL_MAX_SAMPLE_RATE 384000.0

typedef enum {
	CELL_LSTM = 0,
	CELL_GRU = 1,
	CELL_LSTM_PEEPHOLE = 2,
} CellType;

typedef enum {
	ACT_LINEAR = 0,
	ACT_TANH = 1,
	ACT_SIGMOID = 2,
	ACT_RELU = 3,
} Activation;

// What went wrong with a description or a network. The engine knows nothing of files: model/
// numbers its statuses for reading and writing them on from MODEL_STATUS_DESC_END
// (model_status.h), so that one ModelStatus and one ModelError carry either.
typedef enum {
	MODEL_OK = 0,
	MODEL_ERR_MISSING,     // a required part (key, array) is absent
	MODEL_ERR_SHAPE,       // an array has the wrong length or a size is inconsistent
	MODEL_ERR_RANGE,       // a size or number is out of its allowed range
	MODEL_ERR_VALUE,       // a non-finite weight or an impossible value
	MODEL_ERR_NOMEM,       // allocation failed
	MODEL_STATUS_DESC_END, // not a status: the first number model/ uses
} ModelStatus;

// Status plus a message that names what was wrong and where.
typedef struct {
	ModelStatus status;
	char message[MODEL_ERROR_LEN];
} ModelError;

// One recurrent layer. G = 4 for the LSTM types (gate blocks i, f, g, o), 3 for GRU (r, z, n).
typedef struct {
	CellType cell;
	int inputs;      // I
	int hidden;      // H
	float *w_ih;     // [G*H][I]
	float *w_hh;     // [G*H][H]
	float *b_ih;     // [G*H]
	float *b_hh;     // [G*H]
	float *peephole; // [3][H] p_i, p_f, p_o; CELL_LSTM_PEEPHOLE only, else NULL
	float *h0;       // [H] or NULL for zeros
	float *c0;       // [H] or NULL for zeros; LSTM types only
} RecurrentLayerDesc;

typedef struct {
	int inputs;
	int outputs;
	Activation activation;
	float *w; // [outputs][inputs]
	float *b; // [outputs]
} DenseLayerDesc;

typedef struct {
	char name[MODEL_NAME_LEN];
	float min, max, def;
} ControlDesc;

typedef struct {
	int inputs; // 1..MODEL_MAX_INPUTS: audio first, then conditioning values
	int skip;   // input channels added to the output, 0..inputs
	double sample_rate;
	int num_layers;
	RecurrentLayerDesc layers[MODEL_MAX_LAYERS];
	int num_dense; // >= 1; the last one is the head (1 output, linear)
	DenseLayerDesc dense[MODEL_MAX_DENSE];
	int num_controls; // 0 or inputs - 1
	ControlDesc controls[MODEL_MAX_CONTROLS];
	float input_gain_db;
	float output_gain_db;
	// How many samples, at sample_rate, the model's output lags the device it imitates: the
	// safety margin of delay a trainer leaves in so a causal network never has to predict the
	// future (may be fractional). 0 when unknown; players report it so hosts can compensate.
	// 0 to sample_rate * MODEL_MAX_LATENCY_SECONDS.
	float latency_samples;

	// Free metadata kept as one JSON text so every format's extras survive a round trip;
	// NULL when absent. The reader stores the "metadata" object here verbatim.
	char *metadata_json;

	// Optional reference pair: selftest_frames frames of [inputs] values, and the output.
	int selftest_frames;
	float *selftest_input;  // [frames][inputs]
	float *selftest_output; // [frames]
	float selftest_tolerance;
} ModelDesc;

// Number of gate blocks of a cell type: 4 for LSTM types, 3 for GRU.
int model_cell_gates(CellType cell);

// Sets every field to its empty value. Any thread; no allocation.
void model_desc_init(ModelDesc *m);

// Frees every array the description owns and re-initialises it. NULL is a no-op. Worker thread.
void model_desc_free(ModelDesc *m);

// Allocates zeroed arrays for layer k (w_ih, w_hh, b_ih, b_hh, and peephole for that cell) from
// its cell, inputs and hidden fields. Returns MODEL_OK, or MODEL_ERR_NOMEM (leaving err to the
// caller, who knows which part it was). Worker thread.
ModelStatus model_desc_alloc_layer(RecurrentLayerDesc *layer);
ModelStatus model_desc_alloc_dense(DenseLayerDesc *dense);

// Deep copy. Returns MODEL_OK, or MODEL_ERR_NOMEM (dst is then empty). Worker thread.
ModelStatus model_desc_copy(ModelDesc *dst, const ModelDesc *src);

// The model's latency_samples in whole frames at rate (a host's or a file's): scaled by
// rate / sample_rate and rounded to the nearest frame, halves up, because hosts and files move
// audio only by whole frames. 0 for a model without latency. Any thread; no allocation.
unsigned model_latency_frames(const ModelDesc *m, double rate);

// Checks sizes, shapes, ranges and that every number is finite. On failure fills err (when not
// NULL) with a message naming the part ("layers[1].inputs: 8, expected 16") and returns its
// status. Any thread; no allocation.
ModelStatus model_desc_validate(const ModelDesc *m, ModelError *err);

// Fills err with a status and a printf-style message; returns the status. Any thread.
ModelStatus model_error_set(ModelError *err, ModelStatus status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

// A short name for one of the statuses above ("shape error"); model_status_name() in
// model/model_status.h names model/'s too. Any thread.
const char *model_desc_status_name(ModelStatus status);

// The names model files give a cell type or an activation ("lstm", "tanh"), or "unknown" for a
// value outside the enum. Any thread.
const char *model_cell_name(CellType cell);
const char *model_activation_name(Activation act);

// The activation model_activation_name() gives name, into *out: 0, or -1 for any other name.
// Any thread.
int model_activation_parse(const char *name, Activation *out);

#ifdef __cplusplus
}
#endif

#endif
