// SPDX-License-Identifier: ISC
// ModelDesc: allocation, copy and validation of the in-memory model description.
#include "model_desc.h"

#include "name_table.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int model_cell_gates(CellType cell) { return cell == CELL_GRU ? 3 : 4; }

// Indexed by the enums: the names model files give cell types and activations.
static const char *const cell_names[] = {
	[CELL_LSTM] = "lstm",
	[CELL_GRU] = "gru",
	[CELL_LSTM_PEEPHOLE] = "lstm_peephole",
};
static const char *const activation_names[] = {
	[ACT_LINEAR] = "linear",
	[ACT_TANH] = "tanh",
	[ACT_SIGMOID] = "sigmoid",
	[ACT_RELU] = "relu",
};

const char *model_cell_name(CellType cell) { return NAME_TABLE_NAME(cell_names, cell); }

const char *model_activation_name(Activation act) { return NAME_TABLE_NAME(activation_names, act); }

int model_activation_parse(const char *name, Activation *out)
{
	const int act = NAME_TABLE_VALUE(activation_names, name);
	if (act < 0)
		return -1;
	*out = (Activation)act;
	return 0;
}

const char *model_desc_status_name(ModelStatus status)
{
	static const char *const names[MODEL_STATUS_DESC_END] = {
		"ok", "missing key", "shape error", "range error", "bad value", "out of memory",
	};
	if ((unsigned)status < sizeof names / sizeof names[0])
		return names[status];
	return "unknown error";
}

ModelStatus model_error_set(ModelError *err, ModelStatus status, const char *fmt, ...)
{
	if (err) {
		err->status = status;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return status;
}

void model_desc_init(ModelDesc *m)
{
	memset(m, 0, sizeof *m);
	m->selftest_tolerance = 1e-4f;
}

// A layer's float arrays: what model files call each, where it sits in its struct, its length
// and whether the layer must have it. The one list that allocating, freeing, copying and
// checking a layer walk, so an array added to a layer is added here once.
typedef struct {
	const char *name;
	size_t offset; // of the float * in RecurrentLayerDesc or DenseLayerDesc
	size_t n;
	int required;
} ArraySpec;

enum { MAX_LAYER_ARRAYS = 7 };

#define SPEC(type, field, name, n, required) ((ArraySpec){name, offsetof(type, field), n, required})

// Fills specs for layer l from its cell, inputs and hidden fields; returns how many.
static size_t recurrent_arrays(const RecurrentLayerDesc *l, ArraySpec *specs)
{
	const size_t gh = (size_t)model_cell_gates(l->cell) * (size_t)l->hidden;
	const size_t h = (size_t)l->hidden;
	const ArraySpec list[MAX_LAYER_ARRAYS] = {
		SPEC(RecurrentLayerDesc, w_ih, "W", gh * (size_t)l->inputs, 1),
		SPEC(RecurrentLayerDesc, w_hh, "U", gh * h, 1),
		SPEC(RecurrentLayerDesc, b_ih, "b_ih", gh, 1),
		SPEC(RecurrentLayerDesc, b_hh, "b_hh", gh, 1),
		SPEC(RecurrentLayerDesc, peephole, "peephole", 3 * h, l->cell == CELL_LSTM_PEEPHOLE),
		SPEC(RecurrentLayerDesc, h0, "h0", h, 0),
		SPEC(RecurrentLayerDesc, c0, "c0", h, 0),
	};
	memcpy(specs, list, sizeof list);
	return MAX_LAYER_ARRAYS;
}

static size_t dense_arrays(const DenseLayerDesc *d, ArraySpec *specs)
{
	const ArraySpec list[] = {
		SPEC(DenseLayerDesc, w, "W", (size_t)d->outputs * (size_t)d->inputs, 1),
		SPEC(DenseLayerDesc, b, "b", (size_t)d->outputs, 1),
	};
	memcpy(specs, list, sizeof list);
	return sizeof list / sizeof list[0];
}

#undef SPEC

static float **array_slot(void *layer, const ArraySpec *a)
{
	return (float **)(void *)((char *)layer + a->offset);
}

static const float *array_of(const void *layer, const ArraySpec *a)
{
	return *(float *const *)(const void *)((const char *)layer + a->offset);
}

static void free_arrays(void *layer, const ArraySpec *specs, size_t count)
{
	for (size_t k = 0; k < count; k++) {
		float **slot = array_slot(layer, &specs[k]);
		free(*slot);
		*slot = NULL;
	}
}

static float *zeros(size_t n) { return calloc(n ? n : 1, sizeof(float)); }

// Replaces the layer's arrays with zeroed required ones and NULL optional ones.
static ModelStatus alloc_arrays(void *layer, const ArraySpec *specs, size_t count)
{
	free_arrays(layer, specs, count);
	for (size_t k = 0; k < count; k++) {
		if (!specs[k].required)
			continue;
		float **slot = array_slot(layer, &specs[k]);
		*slot = zeros(specs[k].n);
		if (!*slot)
			return MODEL_ERR_NOMEM;
	}
	return MODEL_OK;
}

static int dup_floats(float **dst, const float *src, size_t n)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = malloc((n ? n : 1) * sizeof(float));
	if (!*dst)
		return -1;
	memcpy(*dst, src, n * sizeof(float));
	return 0;
}

// Points dst's arrays (a struct copy of src's) at copies of src's. Returns -1 if any failed.
static int dup_arrays(void *dst, const void *src, const ArraySpec *specs, size_t count)
{
	int fail = 0;
	for (size_t k = 0; k < count; k++)
		fail |= dup_floats(array_slot(dst, &specs[k]), array_of(src, &specs[k]), specs[k].n);
	return fail;
}

void model_desc_free(ModelDesc *m)
{
	if (!m)
		return;
	ArraySpec specs[MAX_LAYER_ARRAYS];
	for (int k = 0; k < MODEL_MAX_LAYERS; k++)
		free_arrays(&m->layers[k], specs, recurrent_arrays(&m->layers[k], specs));
	for (int k = 0; k < MODEL_MAX_DENSE; k++)
		free_arrays(&m->dense[k], specs, dense_arrays(&m->dense[k], specs));
	free(m->metadata_json);
	free(m->selftest_input);
	free(m->selftest_output);
	model_desc_init(m);
}

ModelStatus model_desc_alloc_layer(RecurrentLayerDesc *l)
{
	ArraySpec specs[MAX_LAYER_ARRAYS];
	return alloc_arrays(l, specs, recurrent_arrays(l, specs));
}

ModelStatus model_desc_alloc_dense(DenseLayerDesc *d)
{
	ArraySpec specs[MAX_LAYER_ARRAYS];
	return alloc_arrays(d, specs, dense_arrays(d, specs));
}

ModelStatus model_desc_copy(ModelDesc *dst, const ModelDesc *src)
{
	*dst = *src;
	ArraySpec specs[MAX_LAYER_ARRAYS];
	int fail = 0;
	for (int k = 0; k < MODEL_MAX_LAYERS; k++)
		fail |= dup_arrays(&dst->layers[k], &src->layers[k], specs,
		                   recurrent_arrays(&src->layers[k], specs));
	for (int k = 0; k < MODEL_MAX_DENSE; k++)
		fail |=
			dup_arrays(&dst->dense[k], &src->dense[k], specs, dense_arrays(&src->dense[k], specs));
	dst->metadata_json = NULL;
	if (src->metadata_json) {
		dst->metadata_json = strdup(src->metadata_json);
		fail |= !dst->metadata_json;
	}
	size_t frames = (size_t)src->selftest_frames;
	fail |= dup_floats(&dst->selftest_input, src->selftest_input, frames * (size_t)src->inputs);
	fail |= dup_floats(&dst->selftest_output, src->selftest_output, frames);
	if (fail) {
		model_desc_free(dst);
		return MODEL_ERR_NOMEM;
	}
	return MODEL_OK;
}

// Returns the index of the first non-finite value, or -1.
static long first_nonfinite(const float *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!isfinite(v[k]))
			return (long)k;
	return -1;
}

static ModelStatus check_array(ModelError *err, const char *what, const float *v, size_t n)
{
	if (!v)
		return model_error_set(err, MODEL_ERR_MISSING, "%s: missing", what);
	long bad = first_nonfinite(v, n);
	if (bad >= 0)
		return model_error_set(err, MODEL_ERR_VALUE, "%s[%ld]: not a finite number", what, bad);
	return MODEL_OK;
}

// Checks each array the layer must have and each optional one it has, naming a bad one
// "part[k].name" ("layers[0].U").
static ModelStatus check_arrays(const void *layer, const ArraySpec *specs, size_t count,
                                const char *part, int k, ModelError *err)
{
	for (size_t a = 0; a < count; a++) {
		const float *v = array_of(layer, &specs[a]);
		if (!specs[a].required && !v)
			continue;
		char what[64];
		snprintf(what, sizeof what, "%s[%d].%s", part, k, specs[a].name);
		const ModelStatus st = check_array(err, what, v, specs[a].n);
		if (st)
			return st;
	}
	return MODEL_OK;
}

static ModelStatus validate_layer(const RecurrentLayerDesc *l, int k, int expect_inputs,
                                  ModelError *err)
{
	if (l->cell != CELL_LSTM && l->cell != CELL_GRU && l->cell != CELL_LSTM_PEEPHOLE)
		return model_error_set(err, MODEL_ERR_VALUE, "layers[%d].type: unknown cell %d", k,
		                       (int)l->cell);
	if (l->hidden < 1 || l->hidden > MODEL_MAX_HIDDEN)
		return model_error_set(err, MODEL_ERR_RANGE, "layers[%d].hidden: %d, expected 1 to %d", k,
		                       l->hidden, MODEL_MAX_HIDDEN);
	if (l->inputs != expect_inputs)
		return model_error_set(err, MODEL_ERR_SHAPE, "layers[%d].inputs: %d, expected %d", k,
		                       l->inputs, expect_inputs);
	ArraySpec specs[MAX_LAYER_ARRAYS];
	const ModelStatus st = check_arrays(l, specs, recurrent_arrays(l, specs), "layers", k, err);
	if (st)
		return st;
	if (l->cell == CELL_GRU && l->c0)
		return model_error_set(err, MODEL_ERR_VALUE, "layers[%d].c0: a GRU has no cell state", k);
	if (l->cell != CELL_LSTM_PEEPHOLE && l->peephole)
		return model_error_set(err, MODEL_ERR_VALUE,
		                       "layers[%d].peephole: only an lstm_peephole layer has one", k);
	return MODEL_OK;
}

static ModelStatus validate_dense(const DenseLayerDesc *d, int k, int last, int expect_inputs,
                                  ModelError *err)
{
	if (d->inputs != expect_inputs)
		return model_error_set(err, MODEL_ERR_SHAPE, "dense[%d].inputs: %d, expected %d", k,
		                       d->inputs, expect_inputs);
	if (d->outputs < 1 || d->outputs > MODEL_MAX_DENSE_WIDTH)
		return model_error_set(err, MODEL_ERR_RANGE, "dense[%d].outputs: %d, expected 1 to %d", k,
		                       d->outputs, MODEL_MAX_DENSE_WIDTH);
	if (d->activation < ACT_LINEAR || d->activation > ACT_RELU)
		return model_error_set(err, MODEL_ERR_VALUE, "dense[%d].activation: unknown (%d)", k,
		                       (int)d->activation);
	if (last && d->outputs != 1)
		return model_error_set(err, MODEL_ERR_SHAPE,
		                       "dense[%d].outputs: %d, the last dense layer must have 1", k,
		                       d->outputs);
	if (last && d->activation != ACT_LINEAR)
		return model_error_set(err, MODEL_ERR_VALUE,
		                       "dense[%d].activation: %s, the last dense layer must be linear", k,
		                       model_activation_name(d->activation));
	ArraySpec specs[MAX_LAYER_ARRAYS];
	return check_arrays(d, specs, dense_arrays(d, specs), "dense", k, err);
}

unsigned model_latency_frames(const ModelDesc *m, double rate)
{
	if (!(m->latency_samples > 0.0f) || !(m->sample_rate > 0.0) || !(rate > 0.0))
		return 0;
	// floor(x + 0.5): the validated range keeps x under 10 ms at any rate, far from overflow.
	return (unsigned)floor((double)m->latency_samples * rate / m->sample_rate + 0.5);
}

ModelStatus model_desc_validate(const ModelDesc *m, ModelError *err)
{
	if (m->inputs < 1 || m->inputs > MODEL_MAX_INPUTS)
		return model_error_set(err, MODEL_ERR_RANGE, "architecture.inputs: %d, expected 1 to %d",
		                       m->inputs, MODEL_MAX_INPUTS);
	if (m->skip < 0 || m->skip > m->inputs)
		return model_error_set(err, MODEL_ERR_RANGE, "architecture.skip: %d, expected 0 to %d",
		                       m->skip, m->inputs);
	if (!isfinite(m->sample_rate) || m->sample_rate < MODEL_MIN_SAMPLE_RATE
	    || m->sample_rate > MODEL_MAX_SAMPLE_RATE)
		return model_error_set(err, MODEL_ERR_RANGE, "sample_rate: %g, expected 8000 to 384000",
		                       m->sample_rate);
	if (m->num_layers < 1 || m->num_layers > MODEL_MAX_LAYERS)
		return model_error_set(err, MODEL_ERR_RANGE, "layers: %d layers, expected 1 to %d",
		                       m->num_layers, MODEL_MAX_LAYERS);
	int width = m->inputs;
	for (int k = 0; k < m->num_layers; k++) {
		ModelStatus st = validate_layer(&m->layers[k], k, width, err);
		if (st)
			return st;
		width = m->layers[k].hidden;
	}
	if (m->num_dense < 1 || m->num_dense > MODEL_MAX_DENSE)
		return model_error_set(err, MODEL_ERR_RANGE, "dense: %d layers, expected 1 to %d",
		                       m->num_dense, MODEL_MAX_DENSE);
	for (int k = 0; k < m->num_dense; k++) {
		ModelStatus st = validate_dense(&m->dense[k], k, k == m->num_dense - 1, width, err);
		if (st)
			return st;
		width = m->dense[k].outputs;
	}
	if (m->num_controls != 0 && m->num_controls != m->inputs - 1)
		return model_error_set(err, MODEL_ERR_SHAPE, "controls: %d entries, expected %d",
		                       m->num_controls, m->inputs - 1);
	for (int k = 0; k < m->num_controls; k++) {
		const ControlDesc *c = &m->controls[k];
		if (!isfinite(c->min) || !isfinite(c->max) || !isfinite(c->def) || !(c->min < c->max)
		    || c->def < c->min || c->def > c->max)
			return model_error_set(err, MODEL_ERR_RANGE,
			                       "controls[%d]: needs finite min < max and min <= default <= max",
			                       k);
	}
	if (!isfinite(m->input_gain_db) || fabsf(m->input_gain_db) > 100.0f)
		return model_error_set(err, MODEL_ERR_RANGE,
		                       "levels.input_gain_db: %g, expected -100 to 100",
		                       (double)m->input_gain_db);
	if (!isfinite(m->output_gain_db) || fabsf(m->output_gain_db) > 100.0f)
		return model_error_set(err, MODEL_ERR_RANGE,
		                       "levels.output_gain_db: %g, expected -100 to 100",
		                       (double)m->output_gain_db);
	const double max_latency = m->sample_rate * MODEL_MAX_LATENCY_SECONDS;
	if (!isfinite(m->latency_samples) || m->latency_samples < 0.0f
	    || (double)m->latency_samples > max_latency)
		return model_error_set(err, MODEL_ERR_RANGE,
		                       "latency_samples: %g, expected 0 to %g (10 ms at %g Hz)",
		                       (double)m->latency_samples, max_latency, m->sample_rate);
	if (m->selftest_frames < 0 || m->selftest_frames > MODEL_MAX_SELFTEST_FRAMES)
		return model_error_set(err, MODEL_ERR_RANGE, "selftest: %d frames, expected 0 to %d",
		                       m->selftest_frames, MODEL_MAX_SELFTEST_FRAMES);
	if (m->selftest_frames > 0) {
		size_t n = (size_t)m->selftest_frames;
		ModelStatus st =
			check_array(err, "selftest.input", m->selftest_input, n * (size_t)m->inputs);
		if (!st)
			st = check_array(err, "selftest.output", m->selftest_output, n);
		if (st)
			return st;
		if (!isfinite(m->selftest_tolerance) || !(m->selftest_tolerance > 0.0f))
			return model_error_set(err, MODEL_ERR_RANGE,
			                       "selftest.tolerance: %g, expected a positive number",
			                       (double)m->selftest_tolerance);
	}
	if (err)
		model_error_set(err, MODEL_OK, "ok");
	return MODEL_OK;
}
