// SPDX-License-Identifier: ISC
// Export of a ModelDesc to a Neural Amp Modeler .nam file ("architecture": "LSTM"), the inverse
// of import_nam.c: per layer [W_ih | W_hh] row by row, the two biases summed in float (as the
// engine sums them, so that a re-import runs bit for bit the same), h0 and c0; then the head.
// Levels follow docs/interop.md: the output gain becomes metadata.loudness.
#include "model_export.h"

#include "json_value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAM_TARGET_LOUDNESS_DB (-18.0)
#define NAM_FILE_VERSION "0.5.4"

// The carried input's scale in the first layer, and the head's weight on it: powers of two,
// so that scaling is exact.
#define SKIP_UNIT_SCALE (1.0f / 1024.0f)
// Gate pre-activation that holds a sigmoid at 1 (or, negated, at 0) to float precision, both
// for the exact sigmoid (1 - 3.7e-8) and for NAM's fast sigmoid, a rational approximation that
// overshoots 1 by 8e-4 at 30 and crosses 1 near 17.12 (within 6e-8 of 1 at 17.125).
#define SKIP_UNIT_GATE 17.125f

int model_export_nam_notes(const ModelDesc *m, const NamExportOptions *opt, char *buf, size_t len)
{
	int count = 0;
	size_t used = 0;
	if (buf && len)
		buf[0] = '\0';
	if (m->input_gain_db != 0.0f) {
		if (buf && len)
			used += (size_t)snprintf(buf, len,
			                         "levels.input_gain_db: NAM has no input gain; "
			                         "%.2f dB is folded into the first layer's input weights "
			                         "(equal up to float rounding)\n",
			                         (double)m->input_gain_db);
		count++;
	}
	if (opt && opt->skip_unit && m->skip == 1) {
		if (buf && used < len)
			snprintf(buf + used, len - used,
			         "architecture.skip: NAM has no skip connection; one "
			         "more unit per layer (%d instead of %d) carries the input, to within 1e-6 "
			         "per layer for inputs up to 0 dBFS\n",
			         m->layers[0].hidden + 1, m->layers[0].hidden);
		count++;
	}
	return count;
}

// A copy of m with one more unit per layer that carries the audio input to the head, and no
// skip (see NamExportOptions). a is filled and must be freed by the caller.
static ModelStatus add_skip_unit(const ModelDesc *m, ModelDesc *a, ModelError *err)
{
	const int H = m->layers[0].hidden, H1 = H + 1, p = H;
	if (H1 > MODEL_MAX_HIDDEN)
		return model_error_set(err, MODEL_ERR_RANGE,
		                       "layers[0].hidden: %d, carrying the skip "
		                       "needs one more unit and the limit is %d",
		                       H, MODEL_MAX_HIDDEN);
	model_desc_init(a);
	if (model_desc_copy(a, m) != 0)
		return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
	a->skip = 0;
	for (int k = 0; k < m->num_layers; k++) {
		const RecurrentLayerDesc *o = &m->layers[k];
		RecurrentLayerDesc *l = &a->layers[k];
		const int I = o->inputs, I1 = k == 0 ? I : H1;
		free(l->h0);
		free(l->c0);
		l->h0 = l->c0 = NULL;
		l->inputs = I1;
		l->hidden = H1;
		if (model_desc_alloc_layer(l) != 0)
			return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
		l->h0 = calloc((size_t)H1, sizeof(float));
		l->c0 = calloc((size_t)H1, sizeof(float));
		if (!l->h0 || !l->c0)
			return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
		for (int g = 0; g < 4; g++) {
			for (int u = 0; u < H; u++) {
				const size_t src = (size_t)g * (size_t)H + (size_t)u;
				const size_t dst = (size_t)g * (size_t)H1 + (size_t)u;
				memcpy(l->w_ih + dst * (size_t)I1, o->w_ih + src * (size_t)I,
				       (size_t)I * sizeof(float));
				memcpy(l->w_hh + dst * (size_t)H1, o->w_hh + src * (size_t)H,
				       (size_t)H * sizeof(float));
				l->b_ih[dst] = o->b_ih[src];
				l->b_hh[dst] = o->b_hh[src];
			}
		}
		for (int u = 0; u < H; u++) {
			l->h0[u] = o->h0 ? o->h0[u] : 0.0f;
			l->c0[u] = o->c0 ? o->c0[u] : 0.0f;
		}
		// The carrying unit: i and o open, f shut, g = tanh(scale * x) or tanh(h_carry).
		l->b_ih[0 * H1 + p] = SKIP_UNIT_GATE;
		l->b_ih[1 * H1 + p] = -SKIP_UNIT_GATE;
		l->b_ih[3 * H1 + p] = SKIP_UNIT_GATE;
		l->w_ih[(size_t)(2 * H1 + p) * (size_t)I1 + (k == 0 ? 0 : (size_t)p)] =
			k == 0 ? SKIP_UNIT_SCALE : 1.0f;
	}
	DenseLayerDesc *d = &a->dense[0];
	d->inputs = H1;
	if (model_desc_alloc_dense(d) != 0)
		return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
	memcpy(d->w, m->dense[0].w, (size_t)H * sizeof(float));
	d->w[p] = 1.0f / SKIP_UNIT_SCALE;
	d->b[0] = m->dense[0].b[0];
	return model_desc_validate(a, err);
}

static ModelStatus check_exportable(const ModelDesc *m, ModelError *err)
{
	ModelStatus st = model_desc_validate(m, err);
	if (st)
		return st;
	for (int k = 0; k < m->num_layers; k++) {
		if (m->layers[k].cell != CELL_LSTM)
			return model_error_set(err, MODEL_ERR_VALUE,
			                       "layers[%d].type: %s, NAM's LSTM "
			                       "architecture holds only plain LSTM layers",
			                       k, model_cell_name(m->layers[k].cell));
		if (m->layers[k].hidden != m->layers[0].hidden)
			return model_error_set(err, MODEL_ERR_VALUE,
			                       "layers[%d].hidden: %d, NAM needs every "
			                       "layer as wide as the first (%d)",
			                       k, m->layers[k].hidden, m->layers[0].hidden);
	}
	// The figures NAM's LSTM architecture fixes, and why another value cannot be exported.
	const struct {
		const char *key;
		int value, nam;
		const char *unit, *why;
	} fixed[] = {
		// clang-format off
		{"dense", m->num_dense, 1, " layers", "NAM's LSTM has only a linear head"},
		{"architecture.skip", m->skip, 0, "", "NAM's LSTM has no skip connection (the input is "
			"not added to the output; lstm-convert --nam-skip-unit carries it in one more unit)"},
		{"architecture.inputs", m->inputs, 1, "",
			"NAM's players feed the LSTM one audio input and no knobs"},
		// clang-format on
	};
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
		if (fixed[k].value != fixed[k].nam)
			return model_error_set(err, MODEL_ERR_VALUE, "%s: %d%s, %s", fixed[k].key,
			                       fixed[k].value, fixed[k].unit, fixed[k].why);
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
			json_object_set_new(meta, "date",
			                    json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "year", y, "month", mo,
			                              "day", d, "hour", h, "minute", mi, "second", s));
		else
			json_object_del(meta, "date");
	}
	json_object_del(meta, "loudness_db");
	json_object_del(meta, "loudness");
	json_object_del(meta, "samplerate");
	if (m->output_gain_db != 0.0f)
		json_object_set_new(meta, "loudness",
		                    json_real(NAM_TARGET_LOUDNESS_DB - (double)m->output_gain_db));
	// NAM has no latency field; kept as information (docs/interop.md), not read back.
	if (m->latency_samples != 0.0f)
		json_object_set_new(meta, "latency_samples", json_real((double)m->latency_samples));
	return meta;
}

static ModelStatus export_nam(const ModelDesc *m, json_t **out, ModelError *err);

ModelStatus model_export_nam(const ModelDesc *m, json_t **out, ModelError *err)
{
	return model_export_nam_with(m, NULL, out, err);
}

ModelStatus model_export_nam_with(const ModelDesc *m, const NamExportOptions *opt, json_t **out,
                                  ModelError *err)
{
	*out = NULL;
	if (!opt || !opt->skip_unit || m->skip != 1 || m->inputs != 1)
		return export_nam(m, out, err);
	// Everything but the skip must already fit NAM before a unit is added.
	ModelDesc shallow = *m;
	shallow.skip = 0;
	ModelStatus st = check_exportable(&shallow, err);
	if (st)
		return st;
	ModelDesc a;
	model_desc_init(&a);
	st = add_skip_unit(m, &a, err);
	if (!st)
		st = export_nam(&a, out, err);
	model_desc_free(&a);
	return st;
}

static ModelStatus export_nam(const ModelDesc *m, json_t **out, ModelError *err)
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

	json_t *root =
		json_pack("{s:s, s:o, s:s, s:{s:i, s:i, s:i}, s:o, s:f}", "version", NAM_FILE_VERSION,
	              "metadata", nam_metadata(m), "architecture", "LSTM", "config", "input_size",
	              m->inputs, "hidden_size", (int)H, "num_layers", m->num_layers, "weights",
	              json_float_array(w, total), "sample_rate", m->sample_rate);
	free(w);
	if (!root)
		return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
	*out = root;
	return model_error_set(err, MODEL_OK, "ok");
}
