// SPDX-License-Identifier: ISC
// Export of a ModelDesc to a Neural Amp Modeler .nam file ("architecture": "LSTM"), the inverse
// of import_nam.c: per layer [W_ih | W_hh] row by row, the two biases summed in float (as the
// engine sums them, so that a re-import runs bit for bit the same), h0 and c0; then the head.
// Levels follow docs/interop.md: the output gain becomes metadata.loudness.
#include "model_export.h"

#include "import_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAM_TARGET_LOUDNESS_DB (-18.0)
#define NAM_FILE_VERSION "0.5.4"

int model_export_nam_notes(const ModelDesc *m, char *buf, size_t len)
{
	int count = 0;
	if (buf && len)
		buf[0] = '\0';
	if (m->input_gain_db != 0.0f) {
		if (buf && len)
			snprintf(buf, len, "levels.input_gain_db: NAM has no input gain; %.2f dB is folded "
			         "into the first layer's input weights (equal up to float rounding)\n",
			         (double)m->input_gain_db);
		count++;
	}
	return count;
}

static ModelStatus check_exportable(const ModelDesc *m, ModelError *err)
{
	ModelStatus st = model_desc_validate(m, err);
	if (st)
		return st;
	for (int k = 0; k < m->num_layers; k++) {
		if (m->layers[k].cell != CELL_LSTM)
			return model_error_set(err, MODEL_ERR_VALUE, "layers[%d].type: %s, NAM's LSTM "
			                       "architecture holds only plain LSTM layers", k,
			                       model_cell_name(m->layers[k].cell));
		if (m->layers[k].hidden != m->layers[0].hidden)
			return model_error_set(err, MODEL_ERR_VALUE, "layers[%d].hidden: %d, NAM needs every "
			                       "layer as wide as the first (%d)", k, m->layers[k].hidden,
			                       m->layers[0].hidden);
	}
	if (m->num_dense != 1)
		return model_error_set(err, MODEL_ERR_VALUE, "dense: %d layers, NAM's LSTM has only a "
		                       "linear head", m->num_dense);
	if (m->skip != 0)
		return model_error_set(err, MODEL_ERR_VALUE, "architecture.skip: %d, NAM's LSTM has no "
		                       "skip connection (the input is not added to the output)", m->skip);
	if (m->inputs != 1)
		return model_error_set(err, MODEL_ERR_VALUE, "architecture.inputs: %d, NAM's players "
		                       "feed the LSTM one audio input and no knobs", m->inputs);
	return MODEL_OK;
}

// NAM's metadata from ours: known keys kept, "author" as "modeled_by", an ISO date as NAM's
// date object, loudness from the output gain.
static json_t *nam_metadata(const ModelDesc *m)
{
	json_t *meta = m->metadata_json ? json_loads(m->metadata_json, 0, NULL) : NULL;
	if (!json_is_object(meta)) {
		json_decref(meta);
		meta = json_object();
	}
	if (!meta)
		return NULL;
	json_t *author = json_object_get(meta, "author");
	if (json_is_string(author) && !json_object_get(meta, "modeled_by"))
		json_object_set(meta, "modeled_by", author);
	json_t *date = json_object_get(meta, "date");
	if (json_is_string(date)) {
		int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
		int got = sscanf(json_string_value(date), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s);
		if (got >= 3)
			json_object_set_new(meta, "date", json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "year", y,
			                                            "month", mo, "day", d, "hour", h,
			                                            "minute", mi, "second", s));
		else
			json_object_del(meta, "date");
	}
	json_object_del(meta, "loudness_db");
	json_object_del(meta, "loudness");
	json_object_del(meta, "samplerate");
	if (m->output_gain_db != 0.0f)
		json_object_set_new(meta, "loudness",
		                    json_real(NAM_TARGET_LOUDNESS_DB - (double)m->output_gain_db));
	return meta;
}

ModelStatus model_export_nam(const ModelDesc *m, json_t **out, ModelError *err)
{
	*out = NULL;
	ModelStatus st = check_exportable(m, err);
	if (st)
		return st;
	const size_t H = (size_t)m->layers[0].hidden;
	size_t total = H + 1;
	for (int k = 0; k < m->num_layers; k++)
		total += 4 * H * ((size_t)m->layers[k].inputs + H) + 6 * H;
	float *w = malloc(total * sizeof(float));
	if (!w)
		return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
	const float in_gain = m->input_gain_db != 0.0f ? powf(10.0f, m->input_gain_db / 20.0f) : 1.0f;
	float *it = w;
	for (int k = 0; k < m->num_layers; k++) {
		const RecurrentLayerDesc *l = &m->layers[k];
		const size_t I = (size_t)l->inputs;
		for (size_t r = 0; r < 4 * H; r++) {
			for (size_t i = 0; i < I; i++)
				*it++ = k == 0 ? l->w_ih[r * I + i] * in_gain : l->w_ih[r * I + i];
			for (size_t j = 0; j < H; j++)
				*it++ = l->w_hh[r * H + j];
		}
		for (size_t r = 0; r < 4 * H; r++)
			*it++ = l->b_ih[r] + l->b_hh[r];
		for (size_t u = 0; u < H; u++)
			*it++ = l->h0 ? l->h0[u] : 0.0f;
		for (size_t u = 0; u < H; u++)
			*it++ = l->c0 ? l->c0[u] : 0.0f;
	}
	for (size_t u = 0; u < H; u++)
		*it++ = m->dense[0].w[u];
	*it++ = m->dense[0].b[0];

	json_t *root = json_pack("{s:s, s:o, s:s, s:{s:i, s:i, s:i}, s:o, s:f}",
	                         "version", NAM_FILE_VERSION, "metadata", nam_metadata(m),
	                         "architecture", "LSTM", "config", "input_size", m->inputs,
	                         "hidden_size", (int)H, "num_layers", m->num_layers,
	                         "weights", import_float_array(w, total),
	                         "sample_rate", m->sample_rate);
	free(w);
	if (!root)
		return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
	*out = root;
	return model_error_set(err, MODEL_OK, "ok");
}
