// SPDX-License-Identifier: ISC
// Import of a Neural Amp Modeler .nam file with "architecture": "LSTM" into ModelDesc.
//
// The weights are one flat list. For each layer: W [4H][I + H] row-major, which is
// [W_ih | W_hh] side by side, gate blocks i, f, g, o; then b [4H] (the two PyTorch biases
// summed); then the layer's settled initial state h0 [H] and c0 [H]. After the layers, the head
// weight [H] and bias [1]. There is no skip connection. Levels (docs/interop.md): NAM's player
// by default normalises the output to -18 dB using metadata.loudness, so that becomes the
// output gain; input_level_dbu / output_level_dbu are kept in the metadata and not applied
// (NAM applies them only when the user opts in and gives the interface's level).
#include "model_import.h"

#include "import_util.h"
#include "json_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The loudness NAM's player normalises to, in dB.
#define NAM_TARGET_LOUDNESS_DB (-18.0)

static ModelStatus check_version(const json_t *root, ModelError *err)
{
	const json_t *v = json_object_get(root, "version");
	int major, minor, patch, used = 0;
	if (!v)
		return MODEL_OK;
	if (!json_is_string(v))
		return model_error_set(err, MODEL_ERR_TYPE, "version: expected a string such as \"0.5.4\"");
	const char *s = json_string_value(v);
	if (sscanf(s, "%d.%d.%d%n", &major, &minor, &patch, &used) != 3 || s[used] != '\0')
		return model_error_set(err, MODEL_ERR_VERSION, "version: \"%s\" is not major.minor.patch",
		                       s);
	// NAM's own loader reads 0.5.0 to 0.7.x; the LSTM layout has not changed across them.
	if (major != 0 || minor < 5 || minor > 7)
		return model_error_set(err, MODEL_ERR_VERSION,
		                       "version: %s is not supported (0.5.0 to 0.7.x)", s);
	return MODEL_OK;
}

// Copies NAM's metadata, adds the project's loudness_db key beside NAM's "loudness", and sets
// the output gain NAM's player applies by default.
static ModelStatus read_metadata(const json_t *root, ModelDesc *m, ModelError *err)
{
	const json_t *meta = json_object_get(root, "metadata");
	if (!meta || json_is_null(meta))
		return MODEL_OK;
	// NAM reads its loudness and levels from this object: anything else would drop them.
	if (!json_is_object(meta))
		return model_error_set(err, MODEL_ERR_TYPE, "metadata: expected an object");
	const json_t *loud = json_object_get(meta, "loudness");
	if (loud && !json_is_null(loud)) {
		double db;
		ModelStatus st =
			json_read_number(loud, "metadata.loudness", -100.0 + NAM_TARGET_LOUDNESS_DB,
		                     100.0 + NAM_TARGET_LOUDNESS_DB, 0, &db, err);
		if (st)
			return st;
		m->output_gain_db = (float)(NAM_TARGET_LOUDNESS_DB - db);
	}
	json_t *copy = json_deep_copy(meta);
	if (!copy)
		return model_error_set(err, MODEL_ERR_NOMEM, "metadata: out of memory");
	if (loud && json_is_number(loud))
		json_object_set_new(copy, "loudness_db", json_real(json_number_value(loud)));
	ModelStatus st = import_set_metadata(m, copy, err);
	json_decref(copy);
	return st;
}

static ModelStatus read_nam(const json_t *root, ModelDesc *m, ModelError *err)
{
	const json_t *arch, *config, *weights, *v;
	int hidden, num_layers;
	ModelStatus st;
	if ((st = json_get_member(root, "", "architecture", &arch, err)))
		return st;
	if (!json_is_string(arch))
		return model_error_set(err, MODEL_ERR_TYPE, "architecture: expected a string");
	if (strcmp(json_string_value(arch), "LSTM") != 0)
		return model_error_set(err, MODEL_ERR_FORMAT,
		                       "architecture: \"%s\" is not supported (only LSTM)",
		                       json_string_value(arch));
	if ((st = check_version(root, err)))
		return st;
	if ((st = json_get_member(root, "", "config", &config, err))
	    || (st = json_get_member(config, "config", "input_size", &v, err))
	    || (st = json_read_int(v, "config.input_size", 1, MODEL_MAX_INPUTS, &m->inputs, err))
	    || (st = json_get_member(config, "config", "hidden_size", &v, err))
	    || (st = json_read_int(v, "config.hidden_size", 1, MODEL_MAX_HIDDEN, &hidden, err))
	    || (st = json_get_member(config, "config", "num_layers", &v, err))
	    || (st = json_read_int(v, "config.num_layers", 1, MODEL_MAX_LAYERS, &num_layers, err)))
		return st;
	m->sample_rate = 48000.0;
	if ((v = json_object_get(root, "sample_rate")) && !json_is_null(v)) {
		double sr;
		if ((st = json_read_number(v, "sample_rate", MODEL_MIN_SAMPLE_RATE, MODEL_MAX_SAMPLE_RATE,
		                           0, &sr, err)))
			return st;
		m->sample_rate = sr;
	}

	const size_t H = (size_t)hidden;
	size_t expect = H + 1;
	for (int k = 0; k < num_layers; k++) {
		size_t I = k == 0 ? (size_t)m->inputs : H;
		expect += 4 * H * (I + H) + 4 * H + 2 * H;
	}
	if ((st = json_get_member(root, "", "weights", &weights, err)))
		return st;
	if (!json_is_array(weights))
		return model_error_set(err, MODEL_ERR_TYPE, "weights: expected an array of numbers");
	if (json_array_size(weights) != expect)
		return model_error_set(err, MODEL_ERR_SHAPE,
		                       "weights: %zu values, expected %zu for %d layer(s) of %d units with "
		                       "%d input(s)",
		                       json_array_size(weights), expect, num_layers, hidden, m->inputs);
	float *w = malloc(expect * sizeof(float));
	if (!w)
		return model_error_set(err, MODEL_ERR_NOMEM, "weights: out of memory");
	st = json_read_floats(weights, "weights", expect, w, err);

	const float *it = w;
	m->num_layers = num_layers;
	for (int k = 0; !st && k < num_layers; k++) {
		RecurrentLayerDesc *l = &m->layers[k];
		l->cell = CELL_LSTM;
		l->inputs = k == 0 ? m->inputs : hidden;
		l->hidden = hidden;
		if (model_desc_alloc_layer(l) != 0) {
			st = model_error_set(err, MODEL_ERR_NOMEM, "weights: out of memory");
			break;
		}
		l->h0 = malloc(H * sizeof(float));
		l->c0 = malloc(H * sizeof(float));
		if (!l->h0 || !l->c0) {
			st = model_error_set(err, MODEL_ERR_NOMEM, "weights: out of memory");
			break;
		}
		const size_t I = (size_t)l->inputs;
		for (size_t r = 0; r < 4 * H; r++) {
			memcpy(l->w_ih + r * I, it, I * sizeof(float));
			memcpy(l->w_hh + r * H, it + I, H * sizeof(float));
			it += I + H;
		}
		memcpy(l->b_ih, it, 4 * H * sizeof(float));
		it += 4 * H;
		memcpy(l->h0, it, H * sizeof(float));
		it += H;
		memcpy(l->c0, it, H * sizeof(float));
		it += H;
	}
	if (!st) {
		DenseLayerDesc *d = &m->dense[0];
		m->num_dense = 1;
		d->inputs = hidden;
		d->outputs = 1;
		d->activation = ACT_LINEAR;
		if (model_desc_alloc_dense(d) != 0) {
			st = model_error_set(err, MODEL_ERR_NOMEM, "weights: out of memory");
		} else {
			memcpy(d->w, it, H * sizeof(float));
			d->b[0] = it[H];
		}
	}
	free(w);
	if (!st)
		st = read_metadata(root, m, err);
	return st;
}

ModelStatus model_import_nam(const json_t *root, ModelDesc *out, ModelError *err)
{
	return import_run(read_nam, root, out, err);
}
