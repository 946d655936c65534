// SPDX-License-Identifier: ISC
// The project's own model format: reading a parsed document into ModelDesc, and writing one
// back. The layout is documented in docs/model-format.md.
#include "model_file.h"

#include "json_file.h"
#include "json_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FORMAT_NAME[] = "lstm-lv2";

// The string member key of obj, which must be one of name(0) to name(count - 1): *out is its
// index. Cells and activations are both read this way, so both refusals list the choices alike.
static ModelStatus read_choice(const json_t *obj, const char *path, const char *key,
                               const char *(*name)(int), int count, int *out, ModelError *err)
{
	const char *s;
	ModelStatus st = json_get_string(obj, path, key, &s, err);
	if (st)
		return st;
	for (int k = 0; k < count; k++) {
		if (strcmp(s, name(k)) == 0) {
			*out = k;
			return MODEL_OK;
		}
	}
	char list[160] = "", where[JSON_PATH_LEN];
	size_t used = 0;
	for (int k = 0; k < count && used < sizeof list; k++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\"",
		                         k == 0           ? ""
		                         : k == count - 1 ? " or "
		                                          : ", ",
		                         name(k));
	return model_error_set(err, MODEL_ERR_VALUE, "%s: \"%s\", expected %s",
	                       json_path_join(where, sizeof where, path, key), s, list);
}

static const char *cell_name(int c) { return model_cell_name((CellType)c); }

static const char *activation_name(int a) { return model_activation_name((Activation)a); }

static ModelStatus read_optional_floats(const json_t *obj, const char *path, const char *key,
                                        size_t n, float **out, ModelError *err)
{
	*out = NULL;
	if (!json_object_get(obj, key))
		return MODEL_OK;
	return json_get_floats(obj, path, key, n, out, err);
}

// The number member key of obj, within [min, max], into *out as a float; an absent member
// leaves *out as it is (the default model_desc_init() set).
static ModelStatus read_optional_number(const json_t *obj, const char *path, const char *key,
                                        double min, double max, float *out, ModelError *err)
{
	if (!json_object_get(obj, key))
		return MODEL_OK;
	double x;
	ModelStatus st = json_get_number(obj, path, key, min, max, &x, err);
	if (!st)
		*out = (float)x;
	return st;
}

// Entry k of the array key (layers, dense), which must be an object: its path ("dense[1]") into
// path, for the messages of its members.
static ModelStatus read_entry(const json_t *entry, const char *key, int k, char path[JSON_PATH_LEN],
                              ModelError *err)
{
	json_path_index(path, JSON_PATH_LEN, key, (size_t)k);
	if (!json_is_object(entry))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an object, found %s", path,
		                       json_type_name(entry));
	return MODEL_OK;
}

// A layer's "inputs", within [1, max], which must be expect_inputs: the width of what feeds it.
static ModelStatus read_inputs(const json_t *layer, const char *path, int max, int expect_inputs,
                               int *out, ModelError *err)
{
	ModelStatus st = json_get_int(layer, path, "inputs", 1, max, out, err);
	if (!st && *out != expect_inputs)
		st = model_error_set(err, MODEL_ERR_SHAPE, "%s.inputs: %d, expected %d", path, *out,
		                     expect_inputs);
	return st;
}

static ModelStatus read_layer(const json_t *layer, int k, int expect_inputs, RecurrentLayerDesc *l,
                              ModelError *err)
{
	char path[JSON_PATH_LEN];
	ModelStatus st = read_entry(layer, "layers", k, path, err);
	int cell = CELL_LSTM;
	if (!st)
		st = read_choice(layer, path, "type", cell_name, CELL_LSTM_PEEPHOLE + 1, &cell, err);
	l->cell = (CellType)cell;
	if (!st)
		st = json_get_int(layer, path, "hidden", 1, MODEL_MAX_HIDDEN, &l->hidden, err);
	if (!st)
		st = read_inputs(layer, path, MODEL_MAX_HIDDEN, expect_inputs, &l->inputs, err);
	if (st)
		return st;
	size_t gh = (size_t)model_cell_gates(l->cell) * (size_t)l->hidden;
	size_t h = (size_t)l->hidden;
	st = json_get_floats(layer, path, "W", gh * (size_t)l->inputs, &l->w_ih, err);
	if (!st)
		st = json_get_floats(layer, path, "U", gh * h, &l->w_hh, err);
	if (!st)
		st = json_get_floats(layer, path, "b_ih", gh, &l->b_ih, err);
	if (!st)
		st = json_get_floats(layer, path, "b_hh", gh, &l->b_hh, err);
	if (!st && l->cell == CELL_LSTM_PEEPHOLE)
		st = json_get_floats(layer, path, "peephole", 3 * h, &l->peephole, err);
	if (!st)
		st = read_optional_floats(layer, path, "h0", h, &l->h0, err);
	if (!st && l->cell != CELL_GRU)
		st = read_optional_floats(layer, path, "c0", h, &l->c0, err);
	return st;
}

static ModelStatus read_dense(const json_t *obj, int k, int expect_inputs, DenseLayerDesc *d,
                              ModelError *err)
{
	char path[JSON_PATH_LEN];
	ModelStatus st = read_entry(obj, "dense", k, path, err);
	if (!st)
		st = read_inputs(obj, path, MODEL_MAX_DENSE_WIDTH, expect_inputs, &d->inputs, err);
	if (!st)
		st = json_get_int(obj, path, "outputs", 1, MODEL_MAX_DENSE_WIDTH, &d->outputs, err);
	int act = ACT_LINEAR;
	if (!st)
		st = read_choice(obj, path, "activation", activation_name, ACT_RELU + 1, &act, err);
	d->activation = (Activation)act;
	if (!st)
		st = json_get_floats(obj, path, "W", (size_t)d->outputs * (size_t)d->inputs, &d->w, err);
	if (!st)
		st = json_get_floats(obj, path, "b", (size_t)d->outputs, &d->b, err);
	return st;
}

static ModelStatus read_array(const json_t *root, const char *key, int min, int max,
                              const json_t **arr, ModelError *err)
{
	ModelStatus st = json_get_member(root, "", key, arr, err);
	if (st)
		return st;
	if (!json_is_array(*arr))
		return model_error_set(err, MODEL_ERR_TYPE, "%s: expected an array, found %s", key,
		                       json_type_name(*arr));
	size_t n = json_array_size(*arr);
	if (n < (size_t)min || n > (size_t)max)
		return model_error_set(err, MODEL_ERR_RANGE, "%s: %zu entries, expected %d to %d", key, n,
		                       min, max);
	return MODEL_OK;
}

static ModelStatus read_controls(json_t *arr, ModelDesc *m, ModelError *err)
{
	if (!json_is_array(arr))
		return model_error_set(err, MODEL_ERR_TYPE, "controls: expected an array, found %s",
		                       json_type_name(arr));
	size_t n = json_array_size(arr);
	if (n != (size_t)(m->inputs - 1))
		return model_error_set(err, MODEL_ERR_SHAPE, "controls: %zu entries, expected %d", n,
		                       m->inputs - 1);
	for (size_t k = 0; k < n; k++) {
		char path[32];
		snprintf(path, sizeof path, "controls[%zu]", k);
		const json_t *c = json_array_get(arr, k);
		ControlDesc *cd = &m->controls[k];
		const char *name;
		double lo, hi, def;
		ModelStatus st = json_get_string(c, path, "name", &name, err);
		if (!st)
			st = json_get_number(c, path, "min", -1e6, 1e6, &lo, err);
		if (!st)
			st = json_get_number(c, path, "max", -1e6, 1e6, &hi, err);
		if (!st)
			st = json_get_number(c, path, "default", -1e6, 1e6, &def, err);
		if (st)
			return st;
		snprintf(cd->name, sizeof cd->name, "%s", name);
		cd->min = (float)lo;
		cd->max = (float)hi;
		cd->def = (float)def;
	}
	m->num_controls = (int)n;
	return MODEL_OK;
}

static ModelStatus read_levels(json_t *lv, ModelDesc *m, ModelError *err)
{
	if (!json_is_object(lv))
		return model_error_set(err, MODEL_ERR_TYPE,
		                       "levels: expected an object with "
		                       "input_gain_db and output_gain_db");
	const char *key;
	json_t *val;
	json_object_foreach(lv, key, val)
	{
		if (strcmp(key, "input_gain_db") != 0 && strcmp(key, "output_gain_db") != 0)
			return model_error_set(err, MODEL_ERR_FORMAT,
			                       "levels.%s: not a key of levels "
			                       "(input_gain_db, output_gain_db)",
			                       key);
	}
	ModelStatus st =
		read_optional_number(lv, "levels", "input_gain_db", -100, 100, &m->input_gain_db, err);
	if (!st)
		st = read_optional_number(lv, "levels", "output_gain_db", -100, 100, &m->output_gain_db,
		                          err);
	return st;
}

static ModelStatus read_selftest(json_t *st_obj, ModelDesc *m, ModelError *err)
{
	const json_t *out;
	ModelStatus st = json_get_member(st_obj, "selftest", "output", &out, err);
	if (st)
		return st;
	if (!json_is_array(out))
		return model_error_set(err, MODEL_ERR_TYPE, "selftest.output: expected an array, found %s",
		                       json_type_name(out));
	size_t frames = json_array_size(out);
	if (frames < 1 || frames > MODEL_MAX_SELFTEST_FRAMES)
		return model_error_set(err, MODEL_ERR_RANGE,
		                       "selftest.output: %zu values, expected 1 to %d", frames,
		                       MODEL_MAX_SELFTEST_FRAMES);
	st = json_get_floats(st_obj, "selftest", "input", frames * (size_t)m->inputs,
	                     &m->selftest_input, err);
	if (!st)
		st = json_get_floats(st_obj, "selftest", "output", frames, &m->selftest_output, err);
	if (!st)
		st = read_optional_number(st_obj, "selftest", "tolerance", 1e-9, 1.0,
		                          &m->selftest_tolerance, err);
	if (st)
		return st;
	m->selftest_frames = (int)frames;
	return MODEL_OK;
}

static ModelStatus read_metadata(json_t *md, ModelDesc *m, ModelError *err)
{
	if (!json_is_object(md))
		return model_error_set(err, MODEL_ERR_TYPE, "metadata: expected an object");
	m->metadata_json = json_dumps(md, JSON_COMPACT | JSON_REAL_PRECISION(9));
	if (!m->metadata_json)
		return model_error_set(err, MODEL_ERR_NOMEM, "metadata: out of memory");
	return MODEL_OK;
}

static ModelStatus read_header(const json_t *root, ModelDesc *m, ModelError *err)
{
	const char *format;
	int version;
	ModelStatus st = json_get_string(root, "", "format", &format, err);
	if (st)
		return st;
	if (strcmp(format, FORMAT_NAME) != 0)
		return model_error_set(err, MODEL_ERR_VERSION, "format: \"%s\", expected \"%s\"", format,
		                       FORMAT_NAME);
	const json_t *v;
	st = json_get_member(root, "", "version", &v, err);
	if (st)
		return st;
	if (!json_is_integer(v))
		return model_error_set(err, MODEL_ERR_TYPE, "version: expected an integer, found %s",
		                       json_type_name(v));
	if (json_integer_value(v) != MODEL_FORMAT_VERSION)
		return model_error_set(err, MODEL_ERR_VERSION,
		                       "version: %lld is not a version this program reads (it reads %d)",
		                       (long long)json_integer_value(v), MODEL_FORMAT_VERSION);
	version = (int)json_integer_value(v);
	(void)version;
	st = json_get_number(root, "", "sample_rate", MODEL_MIN_SAMPLE_RATE, MODEL_MAX_SAMPLE_RATE,
	                     &m->sample_rate, err);
	if (!st) // absent: 0, as in files made before it
		st = read_optional_number(root, "", "latency_samples", 0.0,
		                          m->sample_rate * MODEL_MAX_LATENCY_SECONDS, &m->latency_samples,
		                          err);
	const json_t *arch;
	if (!st)
		st = json_get_member(root, "", "architecture", &arch, err);
	if (!st)
		st = json_get_int(arch, "architecture", "inputs", 1, MODEL_MAX_INPUTS, &m->inputs, err);
	if (!st)
		st = json_get_int(arch, "architecture", "skip", 0, m->inputs, &m->skip, err);
	return st;
}

static ModelStatus read_document(const json_t *root, ModelDesc *m, ModelError *err)
{
	ModelStatus st = read_header(root, m, err);
	if (st)
		return st;
	const json_t *layers, *dense;
	st = read_array(root, "layers", 1, MODEL_MAX_LAYERS, &layers, err);
	if (st)
		return st;
	m->num_layers = (int)json_array_size(layers);
	int width = m->inputs;
	for (int k = 0; k < m->num_layers; k++) {
		st = read_layer(json_array_get(layers, (size_t)k), k, width, &m->layers[k], err);
		if (st)
			return st;
		width = m->layers[k].hidden;
	}
	st = read_array(root, "dense", 1, MODEL_MAX_DENSE, &dense, err);
	if (st)
		return st;
	m->num_dense = (int)json_array_size(dense);
	for (int k = 0; k < m->num_dense; k++) {
		st = read_dense(json_array_get(dense, (size_t)k), k, width, &m->dense[k], err);
		if (st)
			return st;
		width = m->dense[k].outputs;
	}
	// The sections a file may leave out: each reader is handed its member, present.
	static const struct {
		const char *key;
		ModelStatus (*read)(json_t *section, ModelDesc *m, ModelError *err);
	} optional[] = {
		{"controls", read_controls},
		{"levels", read_levels},
		{"metadata", read_metadata},
		{"selftest", read_selftest},
	};
	for (size_t k = 0; k < sizeof optional / sizeof optional[0]; k++) {
		json_t *section = json_object_get(root, optional[k].key);
		if (section && (st = optional[k].read(section, m, err)))
			return st;
	}
	return model_desc_validate(m, err);
}

ModelStatus model_read_json(const json_t *root, ModelDesc *out, ModelError *err)
{
	model_desc_init(out);
	if (!json_is_object(root))
		return model_error_set(err, MODEL_ERR_TYPE, "document: expected a JSON object");
	ModelStatus st = read_document(root, out, err);
	if (st)
		model_desc_free(out);
	return st;
}

ModelStatus model_read_file(const char *path, ModelDesc *out, ModelError *err)
{
	json_t *root = NULL;
	model_desc_init(out);
	ModelStatus st = json_file_load(path, &root, err);
	if (st)
		return st; // the message already names the file
	st = model_read_json(root, out, err);
	json_decref(root);
	model_error_prefix(err, path);
	return st;
}

// --- writing ---

static int set_new(json_t *obj, const char *key, json_t *value)
{
	return value ? json_object_set_new(obj, key, value) : -1;
}

static json_t *layer_to_json(const RecurrentLayerDesc *l)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	size_t gh = (size_t)model_cell_gates(l->cell) * (size_t)l->hidden;
	size_t h = (size_t)l->hidden;
	int fail = set_new(o, "type", json_string(model_cell_name(l->cell)));
	fail |= set_new(o, "inputs", json_integer(l->inputs));
	fail |= set_new(o, "hidden", json_integer(l->hidden));
	fail |= set_new(o, "W", json_float_array(l->w_ih, gh * (size_t)l->inputs));
	fail |= set_new(o, "U", json_float_array(l->w_hh, gh * h));
	fail |= set_new(o, "b_ih", json_float_array(l->b_ih, gh));
	fail |= set_new(o, "b_hh", json_float_array(l->b_hh, gh));
	if (l->peephole)
		fail |= set_new(o, "peephole", json_float_array(l->peephole, 3 * h));
	if (l->h0)
		fail |= set_new(o, "h0", json_float_array(l->h0, h));
	if (l->c0)
		fail |= set_new(o, "c0", json_float_array(l->c0, h));
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *dense_to_json(const DenseLayerDesc *d)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int fail = set_new(o, "inputs", json_integer(d->inputs));
	fail |= set_new(o, "outputs", json_integer(d->outputs));
	fail |= set_new(o, "activation", json_string(model_activation_name(d->activation)));
	fail |= set_new(o, "W", json_float_array(d->w, (size_t)d->outputs * (size_t)d->inputs));
	fail |= set_new(o, "b", json_float_array(d->b, (size_t)d->outputs));
	if (fail) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int add_layers(json_t *root, const ModelDesc *m)
{
	json_t *layers = json_array(), *dense = json_array();
	int fail = set_new(root, "layers", layers) | set_new(root, "dense", dense);
	if (fail)
		return -1;
	for (int k = 0; k < m->num_layers; k++)
		fail |= json_array_append_new(layers, layer_to_json(&m->layers[k]));
	for (int k = 0; k < m->num_dense; k++)
		fail |= json_array_append_new(dense, dense_to_json(&m->dense[k]));
	return fail;
}

static int add_extras(json_t *root, const ModelDesc *m)
{
	int fail = 0;
	if (m->num_controls > 0) {
		json_t *arr = json_array();
		fail |= set_new(root, "controls", arr);
		for (int k = 0; !fail && k < m->num_controls; k++) {
			const ControlDesc *c = &m->controls[k];
			fail |= json_array_append_new(
				arr, json_pack("{s:s, s:f, s:f, s:f}", "name", c->name, "min", (double)c->min,
			                   "max", (double)c->max, "default", (double)c->def));
		}
	}
	if (m->input_gain_db != 0.0f || m->output_gain_db != 0.0f)
		fail |= set_new(root, "levels",
		                json_pack("{s:f, s:f}", "input_gain_db", (double)m->input_gain_db,
		                          "output_gain_db", (double)m->output_gain_db));
	if (m->metadata_json) {
		json_t *md = json_loads(m->metadata_json, 0, NULL);
		fail |= !json_is_object(md) || set_new(root, "metadata", md);
	}
	if (m->selftest_frames > 0) {
		size_t n = (size_t)m->selftest_frames;
		fail |= set_new(root, "selftest",
		                json_pack("{s:o, s:o, s:f}", "input",
		                          json_float_array(m->selftest_input, n * (size_t)m->inputs),
		                          "output", json_float_array(m->selftest_output, n), "tolerance",
		                          (double)m->selftest_tolerance));
	}
	return fail;
}

json_t *model_to_json(const ModelDesc *m, ModelError *err)
{
	if (model_desc_validate(m, err) != MODEL_OK)
		return NULL;
	json_t *root = json_object();
	if (!root) {
		model_error_set(err, MODEL_ERR_NOMEM, "out of memory");
		return NULL;
	}
	int fail = set_new(root, "format", json_string(FORMAT_NAME));
	fail |= set_new(root, "version", json_integer(MODEL_FORMAT_VERSION));
	fail |= set_new(root, "sample_rate", json_real(m->sample_rate));
	if (m->latency_samples != 0.0f) // 0 is the default: files without latency stay as they were
		fail |= set_new(root, "latency_samples", json_real((double)m->latency_samples));
	fail |= set_new(root, "architecture",
	                json_pack("{s:i, s:i}", "inputs", m->inputs, "skip", m->skip));
	fail |= add_layers(root, m);
	fail |= add_extras(root, m);
	if (fail) {
		json_decref(root);
		model_error_set(err, MODEL_ERR_NOMEM, "out of memory while building the document");
		return NULL;
	}
	return root;
}

ModelStatus model_write_file(const char *path, const ModelDesc *m, int force, ModelError *err)
{
	json_t *doc = model_to_json(m, err);
	if (!doc)
		return err ? err->status : MODEL_ERR_VALUE;
	ModelStatus st = json_file_write(path, doc, force, err);
	json_decref(doc);
	return st;
}
