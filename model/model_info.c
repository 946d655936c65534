// SPDX-License-Identifier: ISC
// A model's name, ESR and description: see model_info.h.
#include "model_info.h"

#include "model_load.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

// The first of the dotted paths that leads to a number in meta (>= 0 when non_negative), or
// fallback.
static double first_number(const json_t *meta, const char *const *paths, size_t count,
                           int non_negative, double fallback)
{
	for (size_t k = 0; k < count; k++) {
		char path[64];
		snprintf(path, sizeof path, "%s", paths[k]);
		// strtok_r: several plugin instances' workers may read models at once.
		const json_t *v = meta;
		char *save = NULL;
		for (char *part = strtok_r(path, ".", &save); part && v; part = strtok_r(NULL, ".", &save))
			v = json_is_object(v) ? json_object_get(v, part) : NULL;
		if (json_is_number(v) && (!non_negative || json_number_value(v) >= 0))
			return json_number_value(v);
	}
	return fallback;
}

void model_summary(const ModelDesc *m, ModelSummary *s)
{
	memset(s, 0, sizeof *s);
	s->esr = -1.0;
	s->loudness_db = s->input_level_dbu = s->output_level_dbu = s->nam_loudness_db = NAN;
	json_t *meta = m->metadata_json ? json_loads(m->metadata_json, 0, NULL) : NULL;
	if (!json_is_object(meta)) {
		json_decref(meta);
		return;
	}
	const json_t *name = json_object_get(meta, "name");
	if (json_is_string(name))
		snprintf(s->name, sizeof s->name, "%s", json_string_value(name));
	static const char *const esr_paths[] = {"training.esr_test", "training.esr_validation",
	                                        "training.validation_esr", "esr"};
	s->esr = first_number(meta, esr_paths, sizeof esr_paths / sizeof esr_paths[0], 1, -1.0);
	static const char *const loudness[] = {"loudness_db"}, *const in_level[] = {"input_level_dbu"},
							 *const out_level[] = {"output_level_dbu"}, *const nam[] = {"loudness"};
	s->loudness_db = first_number(meta, loudness, 1, 0, NAN);
	s->nam_loudness_db = first_number(meta, nam, 1, 0, NAN);
	s->input_level_dbu = first_number(meta, in_level, 1, 0, NAN);
	s->output_level_dbu = first_number(meta, out_level, 1, 0, NAN);
	json_decref(meta);
}

// Prints every leaf of v as "prefix: value", nested object keys joined by dots; arrays and
// scalars as compact JSON, strings as they are.
static void print_leaves(FILE *out, const char *prefix, const json_t *v)
{
	if (json_is_object(v) && json_object_size(v) > 0) {
		const char *key;
		const json_t *child;
		json_object_foreach((json_t *)v, key, child)
		{
			const size_t len = strlen(prefix) + 1 + strlen(key) + 1;
			char *path = malloc(len);
			if (!path)
				return;
			snprintf(path, len, "%s%s%s", prefix, *prefix ? "." : "", key);
			print_leaves(out, path, child);
			free(path);
		}
		return;
	}
	if (json_is_string(v)) {
		fprintf(out, "  %s: %s\n", prefix, json_string_value(v));
		return;
	}
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(9));
	fprintf(out, "  %s: %s\n", prefix, text ? text : "?");
	free(text);
}

static void print_network(FILE *out, const ModelDesc *m)
{
	fprintf(out, "network: %d recurrent layer%s (", m->num_layers, m->num_layers == 1 ? "" : "s");
	for (int k = 0; k < m->num_layers; k++)
		fprintf(out, "%s%s %d", k ? ", " : "", model_cell_name(m->layers[k].cell),
		        m->layers[k].hidden);
	fprintf(out, "), %d dense (", m->num_dense);
	for (int k = 0; k < m->num_dense; k++)
		fprintf(out, "%s%d->%d %s", k ? ", " : "", m->dense[k].inputs, m->dense[k].outputs,
		        model_activation_name(m->dense[k].activation));
	fprintf(out, "), %d input%s (audio%s), skip %d\n", m->inputs, m->inputs == 1 ? "" : "s",
	        m->inputs > 1 ? " + knobs" : "", m->skip);
}

ModelStatus model_info_print(const char *path, FILE *out, ModelError *err)
{
	ModelDesc m;
	ModelFormat format = MODEL_FORMAT_UNKNOWN;
	ModelStatus st = model_load_file_format(path, &m, &format, err);
	if (st)
		return st;
	ModelSummary s;
	model_summary(&m, &s);
	fprintf(out, "file: %s\nformat: %s\n", path, model_format_name(format));
	fprintf(out, "name: %s\n", s.name[0] ? s.name : "(none given)");
	if (s.esr >= 0)
		fprintf(out, "held-out ESR: %.6g\n", s.esr);
	else
		fprintf(out, "held-out ESR: (none given)\n");
	print_network(out, &m);
	fprintf(out, "sample rate: %g Hz\nlatency: %g samples\n", m.sample_rate,
	        (double)m.latency_samples);
	fprintf(out, "levels: input %+.2f dB, output %+.2f dB\n", (double)m.input_gain_db,
	        (double)m.output_gain_db);
	for (int k = 0; k < m.num_controls; k++)
		fprintf(out, "knob %d: %s, %g to %g, default %g\n", k + 1, m.controls[k].name,
		        (double)m.controls[k].min, (double)m.controls[k].max, (double)m.controls[k].def);
	if (m.selftest_frames > 0)
		fprintf(out, "reference pair: %d frames, reproduced within %g\n", m.selftest_frames,
		        (double)m.selftest_tolerance);
	else
		fprintf(out, "reference pair: none\n");
	json_t *meta = m.metadata_json ? json_loads(m.metadata_json, 0, NULL) : NULL;
	if (json_is_object(meta) && json_object_size(meta) > 0) {
		fprintf(out, "metadata:\n");
		print_leaves(out, "", meta);
	} else {
		fprintf(out, "metadata: none\n");
	}
	json_decref(meta);
	model_desc_free(&m);
	return MODEL_OK;
}
