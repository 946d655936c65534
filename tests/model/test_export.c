// SPDX-License-Identifier: ISC
// Export then import gives the same network: the re-imported model's output is bit for bit the
// original's (exact and default engine paths), for every file in data/ and for synthetic models
// like lstm-train's (several layers, knob inputs, skip, dense activations, separate biases,
// levels). A model's latency travels as metadata.latency_samples (neither format has a field for
// it) and is not applied on import. An exported AIDA-X file passes its own input_batch/output_batch
// check, and what a format cannot hold is refused with a message naming the part.
#undef NDEBUG
#include "interop_common.h"
#include "model_export.h"
#include "model_import.h"
#include "model_load.h"

#include <assert.h>
#include <math.h>
#include <string.h>

static const char *data_dir;
enum { FRAMES = 4096 };

static unsigned rng_state = 12345u;
static float rnd(float scale)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return scale * ((float)(rng_state >> 8) / 8388608.0f - 1.0f);
}

static void fill(float *v, size_t n, float scale)
{
	for (size_t k = 0; k < n; k++)
		v[k] = rnd(scale);
}

// A model shaped like lstm-train's: random weights with both PyTorch biases set.
static void synth(ModelDesc *m, CellType cell, int inputs, int layers, int hidden, int skip,
                  int hidden_dense, Activation act)
{
	model_desc_init(m);
	m->inputs = inputs;
	m->skip = skip;
	m->sample_rate = 44100.0;
	m->num_layers = layers;
	int width = inputs;
	for (int k = 0; k < layers; k++) {
		RecurrentLayerDesc *l = &m->layers[k];
		l->cell = cell;
		l->inputs = width;
		l->hidden = hidden;
		REQUIRE(model_desc_alloc_layer(l) == 0, "alloc");
		size_t gh = (size_t)model_cell_gates(cell) * (size_t)hidden;
		fill(l->w_ih, gh * (size_t)width, 0.8f);
		fill(l->w_hh, gh * (size_t)hidden, 0.4f);
		fill(l->b_ih, gh, 0.3f);
		fill(l->b_hh, gh, 0.3f);
		if (cell == CELL_LSTM_PEEPHOLE)
			fill(l->peephole, 3 * (size_t)hidden, 0.2f);
		width = hidden;
	}
	m->num_dense = hidden_dense ? 2 : 1;
	for (int k = 0; k < m->num_dense; k++) {
		DenseLayerDesc *d = &m->dense[k];
		d->inputs = width;
		d->outputs = k == m->num_dense - 1 ? 1 : hidden_dense;
		d->activation = k == m->num_dense - 1 ? ACT_LINEAR : act;
		REQUIRE(model_desc_alloc_dense(d) == 0, "alloc");
		fill(d->w, (size_t)d->inputs * (size_t)d->outputs, 0.5f);
		fill(d->b, (size_t)d->outputs, 0.1f);
		width = d->outputs;
	}
	m->metadata_json =
		strdup("{\"name\":\"synthetic\",\"author\":\"test\",\"date\":\"2024-06-11T10:20:30Z\"}");
	REQUIRE(model_desc_validate(m, NULL) == MODEL_OK, "synthetic model invalid");
}

static void drop_state(ModelDesc *m)
{
	for (int k = 0; k < m->num_layers; k++) {
		free(m->layers[k].h0);
		free(m->layers[k].c0);
		m->layers[k].h0 = m->layers[k].c0 = NULL;
	}
}

// Both engine paths give bit-identical output for a and b.
static void same_output(const char *label, const ModelDesc *a, const ModelDesc *b)
{
	static float x[FRAMES], ya[FRAMES], yb[FRAMES];
	const float knobs[3] = {0.25f, 0.75f, 0.5f};
	test_signal(x, FRAMES, 7u, 0.9f);
	LstmNetOptions def = lstm_net_default_options();
	for (int pass = 0; pass < 2; pass++) {
		test_run(a, pass ? &def : NULL, x, knobs, ya, FRAMES);
		test_run(b, pass ? &def : NULL, x, knobs, yb, FRAMES);
		REQUIRE(memcmp(ya, yb, sizeof ya) == 0, "%s: output differs (largest %g, %s path)", label,
		        test_max_diff(ya, yb, FRAMES), pass ? "default" : "exact");
	}
}

// The exported document carries a non-zero latency as metadata.latency_samples, exactly, and
// nothing when it is 0; the importer leaves the model's latency at 0.
static void check_latency(const char *label, const ModelDesc *m, const json_t *doc,
                          const ModelDesc *back)
{
	const json_t *lat = json_object_get(json_object_get(doc, "metadata"), "latency_samples");
	if (m->latency_samples != 0.0f)
		REQUIRE(json_is_number(lat) && (float)json_number_value(lat) == m->latency_samples,
		        "%s: metadata.latency_samples not %g", label, (double)m->latency_samples);
	else
		REQUIRE(lat == NULL, "%s: metadata.latency_samples written for a latency of 0", label);
	REQUIRE(back->latency_samples == 0.0f, "%s: import set latency %g", label,
	        (double)back->latency_samples);
}

// Serialises doc to text and back, as a file would be.
static json_t *through_text(json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(9)); // as the file writer
	REQUIRE(text != NULL, "json_dumps");
	json_error_t je;
	json_t *back = json_loads(text, 0, &je);
	REQUIRE(back != NULL, "exported text does not parse: %s", je.text);
	free(text);
	json_decref(doc);
	return back;
}

static void roundtrip_keras(const char *label, const ModelDesc *m)
{
	json_t *doc;
	ModelDesc back, ref;
	ModelError err;
	REQUIRE(model_export_keras(m, &doc, &err) == MODEL_OK, "%s: export: %s", label, err.message);
	doc = through_text(doc);
	json_t *in = json_object_get(doc, "input_batch");
	REQUIRE(json_array_size(in) == MODEL_EXPORT_BATCH_FRAMES
	            && json_is_number(json_array_get(in, 0)),
	        "%s: input_batch is a flat array of %d", label, MODEL_EXPORT_BATCH_FRAMES);
	REQUIRE(json_is_number(json_object_get(json_object_get(doc, "metadata"), "samplerate")),
	        "%s: metadata.samplerate is a number", label);
	REQUIRE(model_import_keras(doc, &back, &err) == MODEL_OK, "%s: import: %s", label, err.message);
	check_latency(label, m, doc, &back);
	json_decref(doc);
	REQUIRE(back.inputs == m->inputs && back.skip == m->skip && back.sample_rate == m->sample_rate,
	        "%s: inputs, skip, rate", label);
	REQUIRE(back.input_gain_db == m->input_gain_db && back.output_gain_db == m->output_gain_db,
	        "%s: levels", label);
	// The file's own check, as AIDA-X runs it (threshold 1e-5): here it is exact.
	double e = test_selftest_error(&back);
	REQUIRE(e == 0.0, "%s: input_batch/output_batch check, largest error %g", label, e);
	REQUIRE(model_desc_copy(&ref, m) == 0, "copy");
	drop_state(&ref); // the Keras format has no initial state
	same_output(label, &ref, &back);
	printf("%s: AIDA-X export and import bit-identical, batch check error %g\n", label, e);
	model_desc_free(&ref);
	model_desc_free(&back);
}

static void roundtrip_nam(const char *label, const ModelDesc *m)
{
	json_t *doc;
	ModelDesc back;
	ModelError err;
	REQUIRE(model_export_nam(m, &doc, &err) == MODEL_OK, "%s: export: %s", label, err.message);
	doc = through_text(doc);
	REQUIRE(!strcmp(json_string_value(json_object_get(doc, "architecture")), "LSTM"), "%s", label);
	REQUIRE(model_import_nam(doc, &back, &err) == MODEL_OK, "%s: import: %s", label, err.message);
	check_latency(label, m, doc, &back);
	json_decref(doc);
	REQUIRE(back.output_gain_db == m->output_gain_db && back.sample_rate == m->sample_rate,
	        "%s: output gain %g, expected %g", label, (double)back.output_gain_db,
	        (double)m->output_gain_db);
	same_output(label, m, &back);
	printf("%s: NAM export and import bit-identical\n", label);
	model_desc_free(&back);
}

static void test_files(void)
{
	static const char *const files[] = {"rtneural_lstm_1d.json",    "rtneural_gru_1d.json",
	                                    "nam_core_lstm_1x3.nam",    "BossLSTM-1x16.nam",
	                                    "BossLSTM-2x8.nam",         "synth_gru_2x6_statedict.json",
	                                    "synth_lstm_2x5_keras.json"};
	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
		ModelDesc m;
		ModelError err;
		REQUIRE(test_load(test_path(data_dir, files[k]), &m, &err) == MODEL_OK, "%s", err.message);
		roundtrip_keras(files[k], &m);
		if (m.layers[0].cell == CELL_LSTM && m.num_dense == 1)
			roundtrip_nam(files[k], &m);
		model_desc_free(&m);
	}
}

static void test_synthetic(void)
{
	ModelDesc m;
	ModelError err;
	json_t *doc;
	char notes[512];

	// lstm-train's usual shape: residual, one knob, levels.
	synth(&m, CELL_LSTM, 2, 1, 16, 1, 0, ACT_LINEAR);
	m.input_gain_db = -3.5f;
	m.output_gain_db = 4.25f;
	roundtrip_keras("lstm 1x16, knob, skip 1, levels", &m);
	REQUIRE(model_export_keras_notes(&m, notes, sizeof notes) == 0, "no notes: %s", notes);
	REQUIRE(model_export_nam(&m, &doc, &err) == MODEL_ERR_VALUE && doc == NULL, "nam refuses skip");
	REQUIRE(strstr(err.message, "architecture.skip: 1, NAM's LSTM has no skip connection"), "%s",
	        err.message);
	model_desc_free(&m);

	// Two layers, separate biases, no skip: both formats, bit for bit.
	synth(&m, CELL_LSTM, 1, 2, 12, 0, 0, ACT_LINEAR);
	m.output_gain_db = -6.0f;
	m.latency_samples = 1.5f;
	roundtrip_keras("lstm 2x12", &m);
	roundtrip_nam("lstm 2x12", &m);
	REQUIRE(model_export_keras_notes(&m, notes, sizeof notes) == 1
	            && strstr(notes, "AIDA-X's player"),
	        "player note: %s", notes);
	REQUIRE(model_export_nam(&m, &doc, &err) == MODEL_OK, "%s", err.message);
	json_t *meta = json_object_get(doc, "metadata");
	REQUIRE(json_real_value(json_object_get(meta, "loudness")) == -12.0, "loudness = -18 - gain");
	REQUIRE(!strcmp(json_string_value(json_object_get(meta, "modeled_by")), "test"), "modeled_by");
	REQUIRE(json_integer_value(json_object_get(json_object_get(meta, "date"), "minute")) == 20,
	        "date object");
	json_decref(doc);
	model_desc_free(&m);

	// GRU, three layers, three inputs, a tanh dense layer before the head.
	synth(&m, CELL_GRU, 3, 3, 10, 1, 6, ACT_TANH);
	roundtrip_keras("gru 3x10, 2 knobs, dense tanh", &m);
	REQUIRE(model_export_nam(&m, &doc, &err) == MODEL_ERR_VALUE, "nam refuses GRU");
	REQUIRE(strstr(err.message, "layers[0].type: gru"), "%s", err.message);
	model_desc_free(&m);

	synth(&m, CELL_LSTM, 1, 1, 8, 0, 4, ACT_SIGMOID);
	roundtrip_keras("lstm 8, dense sigmoid", &m);
	REQUIRE(model_export_nam(&m, &doc, &err) == MODEL_ERR_VALUE, "nam refuses dense layers");
	REQUIRE(strstr(err.message, "dense: 2 layers"), "%s", err.message);
	model_desc_free(&m);

	synth(&m, CELL_LSTM, 1, 1, 8, 0, 4, ACT_RELU);
	roundtrip_keras("lstm 8, dense relu", &m);
	model_desc_free(&m);

	synth(&m, CELL_LSTM_PEEPHOLE, 1, 1, 8, 0, 0, ACT_LINEAR);
	REQUIRE(model_export_keras(&m, &doc, &err) == MODEL_ERR_VALUE && doc == NULL, "peephole");
	REQUIRE(strstr(err.message, "layers[0].type: lstm_peephole"), "%s", err.message);
	model_desc_free(&m);

	synth(&m, CELL_LSTM, 3, 1, 8, 2, 0, ACT_LINEAR);
	REQUIRE(model_export_keras(&m, &doc, &err) == MODEL_ERR_VALUE, "skip 2");
	REQUIRE(strstr(err.message, "architecture.skip: 2"), "%s", err.message);
	model_desc_free(&m);

	// The same model exports to the same text twice.
	synth(&m, CELL_LSTM, 1, 1, 8, 0, 0, ACT_LINEAR);
	json_t *a, *b;
	REQUIRE(model_export_keras(&m, &a, &err) == MODEL_OK
	            && model_export_keras(&m, &b, &err) == MODEL_OK,
	        "%s", err.message);
	char *ta = json_dumps(a, JSON_SORT_KEYS), *tb = json_dumps(b, JSON_SORT_KEYS);
	REQUIRE(ta && tb && !strcmp(ta, tb), "export is deterministic");
	free(ta);
	free(tb);
	json_decref(a);
	json_decref(b);
	model_desc_free(&m);
}

// NAM has no skip: with NamExportOptions.skip_unit one more unit per layer carries the input.
// Not bit-exact; the documented bound is 1e-6 per layer for inputs up to 0 dBFS.
static void test_nam_skip_unit(void)
{
	static const int shapes[][2] = {{1, 16}, {2, 12}, {4, 8}};
	static float x[FRAMES], ya[FRAMES], yb[FRAMES];
	NamExportOptions opt = {1};
	ModelError err;
	json_t *doc;
	char notes[512];
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		ModelDesc m, back;
		synth(&m, CELL_LSTM, 1, shapes[k][0], shapes[k][1], 1, 0, ACT_LINEAR);
		REQUIRE(model_export_nam_notes(&m, &opt, notes, sizeof notes) == 1
		            && strstr(notes, "one more unit per layer"),
		        "note: %s", notes);
		REQUIRE(model_export_nam_with(&m, &opt, &doc, &err) == MODEL_OK, "%s", err.message);
		doc = through_text(doc);
		REQUIRE(model_import_nam(doc, &back, &err) == MODEL_OK, "%s", err.message);
		json_decref(doc);
		REQUIRE(back.layers[0].hidden == shapes[k][1] + 1 && back.skip == 0, "one more unit");
		for (int amp = 0; amp < 2; amp++) {
			test_signal(x, FRAMES, 99u, amp ? 1.0f : 0.1f);
			test_run(&m, NULL, x, NULL, ya, FRAMES);
			test_run(&back, NULL, x, NULL, yb, FRAMES);
			double e = test_max_diff(ya, yb, FRAMES);
			printf("NAM skip unit, %d x %d, input peak %s: largest difference %.3g\n", shapes[k][0],
			       shapes[k][1], amp ? "0 dBFS" : "-20 dBFS", e);
			// (2L/3) 2^-20 x^3 for L layers: under 1e-6 per layer at 0 dBFS.
			REQUIRE(e <= (amp ? 1e-6 * shapes[k][0] : 1e-7), "skip unit error %g", e);
		}
		model_desc_free(&back);
		model_desc_free(&m);
	}
	ModelDesc m;
	synth(&m, CELL_GRU, 1, 1, 8, 1, 0, ACT_LINEAR);
	REQUIRE(model_export_nam_with(&m, &opt, &doc, &err) == MODEL_ERR_VALUE, "GRU refused");
	REQUIRE(strstr(err.message, "layers[0].type: gru"), "%s", err.message);
	model_desc_free(&m);
	synth(&m, CELL_LSTM, 1, 1, 128, 1, 0, ACT_LINEAR);
	REQUIRE(model_export_nam_with(&m, &opt, &doc, &err) == MODEL_ERR_RANGE, "128 + 1 units");
	REQUIRE(strstr(err.message, "needs one more unit"), "%s", err.message);
	model_desc_free(&m);
}

// The loader checks an AIDA-X pair: the exported file loads through model_load_buffer(), and
// the same file with one output_batch sample moved by 0.01 is refused, naming the error size.
static void test_pair_checked_at_load(void)
{
	ModelDesc m, back;
	ModelError err;
	json_t *doc;
	synth(&m, CELL_GRU, 2, 1, 12, 1, 0, ACT_LINEAR);
	REQUIRE(model_export_keras(&m, &doc, &err) == MODEL_OK, "%s", err.message);
	char *text = json_dumps(doc, JSON_REAL_PRECISION(9));
	REQUIRE(model_load_buffer(text, strlen(text), "good.aidax", &back, &err) == MODEL_OK, "%s",
	        err.message);
	model_desc_free(&back);
	free(text);
	json_t *y = json_array_get(json_object_get(doc, "output_batch"), 100);
	json_real_set(y, json_real_value(y) + 0.01);
	text = json_dumps(doc, JSON_REAL_PRECISION(9));
	ModelStatus st = model_load_buffer(text, strlen(text), "tampered.aidax", &back, &err);
	printf("tampered output_batch: %s\n", err.message);
	REQUIRE(st == MODEL_ERR_SELFTEST, "tampered pair accepted: %s", model_status_name(st));
	REQUIRE(strstr(err.message, "tampered.aidax") && strstr(err.message, "by 0.01")
	            && strstr(err.message, "frame 100"),
	        "message: %s", err.message);
	REQUIRE(back.num_layers == 0, "refused model left in out");
	free(text);
	json_decref(doc);
	model_desc_free(&m);
}

int main(int argc, char **argv)
{
	REQUIRE(argc == 2, "usage: %s DATA_DIR", argv[0]);
	data_dir = argv[1];
	test_files();
	test_synthetic();
	test_nam_skip_unit();
	test_pair_checked_at_load();
	printf("test_export: all checks passed\n");
	return 0;
}
