// SPDX-License-Identifier: ISC
// Export of a ModelDesc to the AIDA-X / RTNeural Keras JSON, the inverse of import_keras.c:
// the recurrent weights in Keras's layout (keras_layout.h) and a reference pair made by
// running the engine.
#include "model_export.h"

#include "json_value.h"
#include "keras_layout.h"
#include "lstm_net.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double two_pi = 6.283185307179586;

static int has_state(const RecurrentLayerDesc *l)
{
	for (int u = 0; u < l->hidden; u++)
		if ((l->h0 && l->h0[u] != 0.0f) || (l->c0 && l->c0[u] != 0.0f))
			return 1;
	return 0;
}

static void add_note(char *buf, size_t len, int *count, const char *text)
{
	size_t used = buf && len ? strlen(buf) : 0;
	if (buf && used < len)
		snprintf(buf + used, len - used, "%s\n", text);
	(*count)++;
}

int model_export_keras_notes(const ModelDesc *m, char *buf, size_t len)
{
	static const int player_sizes[] = {8, 12, 16, 20, 24, 32, 40, 64, 80};
	int count = 0, size_ok = 0;
	char line[200];
	if (buf && len)
		buf[0] = '\0';
	for (int k = 0; k < m->num_layers; k++) {
		if (has_state(&m->layers[k])) {
			snprintf(line, sizeof line,
			         "layers[%d]: the initial state (h0/c0) cannot be stored in "
			         "this format and is dropped; the first milliseconds of output will differ",
			         k);
			add_note(buf, len, &count, line);
		}
	}
	for (size_t k = 0; k < sizeof player_sizes / sizeof player_sizes[0]; k++)
		size_ok |= m->layers[0].hidden == player_sizes[k];
	if (m->num_layers != 1 || m->num_dense != 1 || !size_ok || m->inputs > 3) {
		add_note(buf, len, &count,
		         "AIDA-X's player loads only one LSTM or GRU layer of 8, 12, 16, "
		         "20, 24, 32, 40, 64 or 80 units with 1 to 3 inputs and a single dense head; this "
		         "file is valid RTNeural JSON but that player will refuse it");
	}
	return count;
}

static json_t *shape_of(int units) { return json_pack("[n n i]", units); }

static json_t *recurrent_json(const RecurrentLayerDesc *l)
{
	const int G = model_cell_gates(l->cell), H = l->hidden, I = l->inputs;
	const size_t gh = (size_t)G * (size_t)H;
	float *W = malloc((size_t)I * gh * sizeof(float));
	float *U = malloc((size_t)H * gh * sizeof(float));
	float *B = malloc(2 * gh * sizeof(float));
	json_t *layer = NULL;
	if (!W || !U || !B)
		goto done;
	keras_layout_from_layer(l, W, U, B);
	json_t *bias = l->cell == CELL_GRU ? json_float_matrix(B, 2, gh, 0) : json_float_array(B, gh);
	layer =
		json_pack("{s:s, s:s, s:o, s:[o o o]}", "type", model_cell_name(l->cell), "activation",
	              "tanh", "shape", shape_of(H), "weights", json_float_matrix(W, (size_t)I, gh, 0),
	              json_float_matrix(U, (size_t)H, gh, 0), bias);
done:
	free(W);
	free(U);
	free(B);
	return layer;
}

static json_t *dense_json(const DenseLayerDesc *d)
{
	const char *act = d->activation == ACT_LINEAR ? "" : model_activation_name(d->activation);
	// Keras's kernel is [inputs][outputs]: the transpose of nn.Linear's weight.
	return json_pack("{s:s, s:s, s:o, s:[o o]}", "type", "dense", "activation", act, "shape",
	                 shape_of(d->outputs), "weights",
	                 json_float_matrix(d->w, (size_t)d->outputs, (size_t)d->inputs, 1),
	                 json_float_array(d->b, (size_t)d->outputs));
}

// A fixed, deterministic test signal: a rising sine sweep whose level grows from -26 dBFS to
// 0 dBFS, plus a little noise from a fixed-seed xorshift, so the pair exercises the network
// from its quiet, near-linear range into saturation.
static void test_signal(float *x, int n, double rate)
{
	uint32_t s = 0x9e3779b9u;
	double phase = 0.0;
	for (int t = 0; t < n; t++) {
		double frac = (double)t / (double)n;
		double f = 80.0 * pow(50.0, frac);
		phase += two_pi * f / rate;
		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		double noise = ((double)s / 4294967295.0 - 0.5) * 0.02;
		double level = 0.05 * pow(20.0, frac);
		x[t] = (float)(level * sin(phase) + noise);
	}
}

// The output of the engine's exact path (exact activations, scalar kernels) on the test
// signal, knob inputs at 0, from a zero state.
static ModelStatus run_batch(const ModelDesc *m, float *x, float *y, int n, ModelError *err)
{
	ModelDesc z;
	if (model_desc_copy(&z, m) != 0)
		return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
	for (int k = 0; k < z.num_layers; k++) {
		free(z.layers[k].h0);
		free(z.layers[k].c0);
		z.layers[k].h0 = z.layers[k].c0 = NULL;
	}
	LstmNetOptions opt = {LSTM_ACT_EXACT, LSTM_ISA_SCALAR};
	LstmNet *net = lstm_net_create(&z, &opt, err);
	model_desc_free(&z);
	if (!net)
		return err ? err->status : MODEL_ERR_VALUE;
	float *zeros = calloc((size_t)n, sizeof(float));
	if (!zeros) {
		lstm_net_destroy(net);
		return model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
	}
	const float *in[MODEL_MAX_INPUTS] = {x, zeros, zeros, zeros};
	test_signal(x, n, m->sample_rate);
	lstm_net_process(net, in, y, (uint32_t)n);
	free(zeros);
	lstm_net_destroy(net);
	return MODEL_OK;
}

static json_t *metadata_json(const ModelDesc *m)
{
	json_t *meta = NULL;
	if (m->metadata_json)
		meta = json_loads(m->metadata_json, 0, NULL);
	if (!json_is_object(meta)) {
		json_decref(meta);
		meta = json_object();
	}
	// aidadsp-lv2 reads metadata.samplerate only when it is a number.
	if (meta)
		json_object_set_new(meta, "samplerate", json_real(m->sample_rate));
	// The format has no latency field; kept as information (docs/interop.md), not read back.
	if (meta && m->latency_samples != 0.0f)
		json_object_set_new(meta, "latency_samples", json_real((double)m->latency_samples));
	return meta;
}

ModelStatus model_export_keras(const ModelDesc *m, json_t **out, ModelError *err)
{
	ModelStatus st = model_desc_validate(m, err);
	*out = NULL;
	if (st)
		return st;
	for (int k = 0; k < m->num_layers; k++)
		if (m->layers[k].cell == CELL_LSTM_PEEPHOLE)
			return model_error_set(err, MODEL_ERR_VALUE,
			                       "layers[%d].type: lstm_peephole has no "
			                       "equivalent in the Keras/RTNeural format",
			                       k);
	if (m->skip > 1)
		return model_error_set(err, MODEL_ERR_VALUE,
		                       "architecture.skip: %d, the Keras format's "
		                       "in_skip adds only the audio input (0 or 1)",
		                       m->skip);

	const int n = MODEL_EXPORT_BATCH_FRAMES;
	float *x = malloc((size_t)n * sizeof(float));
	float *y = malloc((size_t)n * sizeof(float));
	json_t *root = NULL, *layers = NULL;
	if (!x || !y) {
		st = model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
		goto fail;
	}
	if ((st = run_batch(m, x, y, n, err)))
		goto fail;
	layers = json_array();
	for (int k = 0; layers && k < m->num_layers; k++)
		if (json_array_append_new(layers, recurrent_json(&m->layers[k])) != 0)
			goto nomem;
	for (int k = 0; layers && k < m->num_dense; k++)
		if (json_array_append_new(layers, dense_json(&m->dense[k])) != 0)
			goto nomem;
	root = json_pack("{s:o, s:i, s:f, s:f, s:o, s:o, s:o, s:o}", "in_shape", shape_of(m->inputs),
	                 "in_skip", m->skip, "in_gain", (double)m->input_gain_db, "out_gain",
	                 (double)m->output_gain_db, "layers", layers, "metadata", metadata_json(m),
	                 "input_batch", json_float_array(x, (size_t)n), "output_batch",
	                 json_float_array(y, (size_t)n));
	layers = NULL; // json_pack's "o" took the reference, even on failure
	if (!root)
		goto nomem;
	free(x);
	free(y);
	*out = root;
	return model_error_set(err, MODEL_OK, "ok");
nomem:
	st = model_error_set(err, MODEL_ERR_NOMEM, "export: out of memory");
fail:
	json_decref(layers);
	free(x);
	free(y);
	return st;
}
