// SPDX-License-Identifier: ISC
// The project's model format: write then read gives back the same description bit for bit;
// writing is atomic and refuses to replace files without force; the loader detects the format.
// latency_samples survives the round trip, and a model without latency writes no key and reads
// back 0 (files made before the key existed).
#undef NDEBUG
#include "model_file.h"
#include "model_info.h"
#include "model_load.h"
#include "model_selftest.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t rng_state = 12345u;

static float rnd(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return (float)((rng_state >> 8) / 16777216.0 * 2.0 - 1.0) * 0.7f;
}

static void fill(float *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		v[k] = rnd();
}

// A two-layer model (peephole LSTM then GRU), a tanh dense layer and the head, two knobs.
static void make_model(ModelDesc *m)
{
	model_desc_init(m);
	m->inputs = 3;
	m->skip = 1;
	m->sample_rate = 44100.0;
	m->num_layers = 2;
	RecurrentLayerDesc *l0 = &m->layers[0], *l1 = &m->layers[1];
	*l0 = (RecurrentLayerDesc){.cell = CELL_LSTM_PEEPHOLE, .inputs = 3, .hidden = 5};
	*l1 = (RecurrentLayerDesc){.cell = CELL_GRU, .inputs = 5, .hidden = 7};
	assert(model_desc_alloc_layer(l0) == 0 && model_desc_alloc_layer(l1) == 0);
	fill(l0->w_ih, 4 * 5 * 3);
	fill(l0->w_hh, 4 * 5 * 5);
	fill(l0->b_ih, 20);
	fill(l0->b_hh, 20);
	fill(l0->peephole, 15);
	l0->h0 = calloc(5, sizeof(float));
	l0->c0 = calloc(5, sizeof(float));
	fill(l0->h0, 5);
	fill(l0->c0, 5);
	fill(l1->w_ih, 3 * 7 * 5);
	fill(l1->w_hh, 3 * 7 * 7);
	fill(l1->b_ih, 21);
	fill(l1->b_hh, 21);
	m->num_dense = 2;
	m->dense[0] = (DenseLayerDesc){.inputs = 7, .outputs = 4, .activation = ACT_TANH};
	m->dense[1] = (DenseLayerDesc){.inputs = 4, .outputs = 1, .activation = ACT_LINEAR};
	assert(model_desc_alloc_dense(&m->dense[0]) == 0 && model_desc_alloc_dense(&m->dense[1]) == 0);
	fill(m->dense[0].w, 28);
	fill(m->dense[0].b, 4);
	fill(m->dense[1].w, 4);
	fill(m->dense[1].b, 1);
	m->num_controls = 2;
	m->controls[0] = (ControlDesc){"Gain", 0.0f, 1.0f, 0.5f};
	m->controls[1] = (ControlDesc){"Tone", -1.0f, 1.0f, 0.0f};
	m->input_gain_db = -3.0f;
	m->output_gain_db = 1.5f;
	m->latency_samples = 1.37f; // not a short decimal: the 9 written digits must suffice
	m->metadata_json = strdup("{\"name\":\"test\",\"training\":{\"esr_test\":0.0123}}");
	float in[300];
	fill(in, 300);
	ModelError err;
	assert(model_selftest_fill(m, in, 100, &err) == MODEL_OK);
}

static void assert_same_floats(const float *a, const float *b, size_t n)
{
	assert((a == NULL) == (b == NULL));
	if (a)
		assert(memcmp(a, b, n * sizeof(float)) == 0);
}

static void assert_same_model(const ModelDesc *a, const ModelDesc *b)
{
	assert(a->inputs == b->inputs && a->skip == b->skip && a->sample_rate == b->sample_rate);
	assert(a->num_layers == b->num_layers && a->num_dense == b->num_dense);
	for (int k = 0; k < a->num_layers; k++) {
		const RecurrentLayerDesc *x = &a->layers[k], *y = &b->layers[k];
		size_t gh = (size_t)model_cell_gates(x->cell) * (size_t)x->hidden;
		assert(x->cell == y->cell && x->inputs == y->inputs && x->hidden == y->hidden);
		assert_same_floats(x->w_ih, y->w_ih, gh * (size_t)x->inputs);
		assert_same_floats(x->w_hh, y->w_hh, gh * (size_t)x->hidden);
		assert_same_floats(x->b_ih, y->b_ih, gh);
		assert_same_floats(x->b_hh, y->b_hh, gh);
		assert_same_floats(x->peephole, y->peephole, 3 * (size_t)x->hidden);
		assert_same_floats(x->h0, y->h0, (size_t)x->hidden);
		assert_same_floats(x->c0, y->c0, (size_t)x->hidden);
	}
	for (int k = 0; k < a->num_dense; k++) {
		const DenseLayerDesc *x = &a->dense[k], *y = &b->dense[k];
		assert(x->inputs == y->inputs && x->outputs == y->outputs
		       && x->activation == y->activation);
		assert_same_floats(x->w, y->w, (size_t)x->inputs * (size_t)x->outputs);
		assert_same_floats(x->b, y->b, (size_t)x->outputs);
	}
	assert(a->num_controls == b->num_controls);
	for (int k = 0; k < a->num_controls; k++) {
		assert(strcmp(a->controls[k].name, b->controls[k].name) == 0);
		assert(a->controls[k].min == b->controls[k].min
		       && a->controls[k].max == b->controls[k].max);
		assert(a->controls[k].def == b->controls[k].def);
	}
	assert(a->input_gain_db == b->input_gain_db && a->output_gain_db == b->output_gain_db);
	assert(a->latency_samples == b->latency_samples);
	assert(a->selftest_frames == b->selftest_frames);
	assert_same_floats(a->selftest_input, b->selftest_input,
	                   (size_t)a->selftest_frames * (size_t)a->inputs);
	assert_same_floats(a->selftest_output, b->selftest_output, (size_t)a->selftest_frames);
}

static char dir[64];

static void test_round_trip(void)
{
	ModelDesc m, back;
	ModelError err;
	char path[128];
	make_model(&m);
	snprintf(path, sizeof path, "%s/model.json", dir);
	assert(model_write_file(path, &m, 0, &err) == MODEL_OK);
	assert(model_load_file(path, &back, &err) == MODEL_OK);
	assert_same_model(&m, &back);
	assert(strstr(back.metadata_json, "\"esr_test\"") != NULL);
	model_desc_free(&back);
	assert(model_read_file(path, &back, &err) == MODEL_OK);
	assert_same_model(&m, &back);
	model_desc_free(&back);
	model_desc_free(&m);
}

static void test_latency_absent(void)
{
	ModelDesc m, back;
	ModelError err;
	make_model(&m);
	assert(m.latency_samples > 0.0f);
	m.latency_samples = 0.0f;
	json_t *doc = model_to_json(&m, &err);
	assert(doc && !json_object_get(doc, "latency_samples"));
	assert(model_read_json(doc, &back, &err) == MODEL_OK);
	assert(back.latency_samples == 0.0f);
	assert_same_model(&m, &back);
	model_desc_free(&back);
	// The key in a document that lacks it: read as written.
	json_object_set_new(doc, "latency_samples", json_integer(2));
	assert(model_read_json(doc, &back, &err) == MODEL_OK);
	assert(back.latency_samples == 2.0f);
	model_desc_free(&back);
	json_decref(doc);
	model_desc_free(&m);
}

// A description the reader could not have made (NaN, negative, over 10 ms) is refused on
// writing, with the key named.
static void test_latency_invalid(void)
{
	static const float bad[] = {NAN, -0.25f, INFINITY, 441.5f}; // 441 is 10 ms at 44.1 kHz
	ModelDesc m;
	ModelError err;
	make_model(&m);
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		m.latency_samples = bad[k];
		assert(model_to_json(&m, &err) == NULL);
		assert(err.status == MODEL_ERR_RANGE && strncmp(err.message, "latency_samples: ", 17) == 0);
	}
	m.latency_samples = 441.0f;
	json_t *doc = model_to_json(&m, &err);
	assert(doc);
	json_decref(doc);
	model_desc_free(&m);
}

static void test_no_overwrite_without_force(void)
{
	ModelDesc m;
	ModelError err;
	char path[128];
	make_model(&m);
	snprintf(path, sizeof path, "%s/exists.json", dir);
	FILE *f = fopen(path, "w");
	assert(f);
	fputs("keep me", f);
	fclose(f);
	assert(model_write_file(path, &m, 0, &err) == MODEL_ERR_IO);
	assert(strstr(err.message, "already exists"));
	f = fopen(path, "r");
	char buf[16] = {0};
	assert(fread(buf, 1, sizeof buf - 1, f) == 7);
	fclose(f);
	assert(strcmp(buf, "keep me") == 0);
	assert(model_write_file(path, &m, 1, &err) == MODEL_OK);
	assert(model_write_file("/dev/full", &m, 1, &err) == MODEL_ERR_IO);
	assert(strstr(err.message, "/dev/full"));
	model_desc_free(&m);
}

static void test_selftest_mismatch(void)
{
	ModelDesc m;
	ModelError err;
	double worst;
	make_model(&m);
	assert(model_selftest_run(&m, &worst, &err) == MODEL_OK);
	assert(worst == 0.0);
	m.selftest_output[42] += 0.01f;
	assert(model_selftest_run(&m, &worst, &err) == MODEL_ERR_SELFTEST);
	assert(worst > 0.009 && worst < 0.011);
	assert(strstr(err.message, "frame 42"));
	model_desc_free(&m);
}

// A model whose output overflows (a head bias of 3e38: infinite, or as good as) or is far
// beyond audio (1e6) is refused at load with the reason, instead of loading and then playing
// silence.
static void test_overflowing_model_refused(void)
{
	const float bias[] = {3e38f, 1e6f};
	const char *why[] = {"at frame 0 of a test tone at -12 dBFS", "reaches 1e+06 (120 dBFS)"};
	for (int k = 0; k < 2; k++) {
		ModelDesc m;
		ModelError err;
		make_model(&m);
		free(m.selftest_input);
		free(m.selftest_output);
		m.selftest_input = m.selftest_output = NULL;
		m.selftest_frames = 0;
		m.dense[1].b[0] = bias[k];
		m.dense[1].w[0] = 0.0f;
		ModelStatus st = model_selftest_run(&m, NULL, &err);
		printf("head bias %g: %s\n", (double)bias[k], err.message);
		fflush(stdout);
		assert(st == MODEL_ERR_SELFTEST);
		assert(strstr(err.message, why[k]));
		model_desc_free(&m);
	}
	ModelDesc ok;
	ModelError err;
	make_model(&ok);
	assert(model_selftest_run(&ok, NULL, &err) == MODEL_OK);
	model_desc_free(&ok);
}

// Only the temporary files of failed writes could be left behind: the folder must hold
// exactly the two files the tests wrote.
static void test_no_leftovers(void)
{
	char cmd[160];
	snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 2", dir);
	assert(system(cmd) == 0);
}

// A model path that is a FIFO with no writer is refused at once: the plugin's worker thread and
// lstm-apply would otherwise wait for ever (an alarm fails the test instead of hanging it).
static void test_fifo_refused(void)
{
	char p[256];
	snprintf(p, sizeof p, "%s/model.fifo", dir);
	assert(mkfifo(p, 0600) == 0);
	alarm(10);
	ModelDesc m;
	ModelError err;
	model_desc_init(&m);
	assert(model_load_file(p, &m, &err) != MODEL_OK);
	alarm(0);
	assert(strstr(err.message, "model.fifo: not a regular file"));
	model_desc_free(&m);
	remove(p);
}

// A file under the byte limit that holds millions of empty objects, the shape that once took
// 4.6 GB to parse: refused with a reason before the parser allocates, and peak memory grows by
// little more than the file's own bytes.
static void test_many_values_bounded(void)
{
	char p[256];
	snprintf(p, sizeof p, "%s/junk.json", dir);
	FILE *f = fopen(p, "w");
	assert(f);
	fputs("{\"junk\": [{}", f);
	for (long i = 1; i < 3000000; i++)
		fputs(",{}", f);
	fputs("]}", f);
	assert(fclose(f) == 0);
	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);
	ModelDesc m;
	ModelError err;
	model_desc_init(&m);
	assert(model_load_file(p, &m, &err) == MODEL_ERR_TOO_BIG);
	getrusage(RUSAGE_SELF, &after);
	const long grew_kib = after.ru_maxrss - before.ru_maxrss;
	printf("3 million empty objects (9 MB): refused (%s), peak memory grew %ld KiB\n", err.message,
	       grew_kib);
	assert(strstr(err.message, "junk.json: 3000001 objects")); // the root and the junk
	assert(strstr(err.message, "more than any model"));
	assert(grew_kib < 64 * 1024);
	model_desc_free(&m);
	remove(p);
}

// The summary a host shows: the name, and the held-out ESR from whichever trainer wrote it
// (lstm-train's test figure before its validation one; NAM's; AIDA-X's loose "esr").
static void test_summary(void)
{
	static const struct {
		const char *meta;
		const char *name;
		double esr;
	} cases[] = {
		{"{\"name\":\"Crunch\",\"training\":{\"esr_validation\":0.02,\"esr_test\":0.03}}", "Crunch",
	     0.03},
		{"{\"training\":{\"esr_validation\":0.02}}", "", 0.02},
		{"{\"name\":\"Amp\",\"training\":{\"validation_esr\":0.011}}", "Amp", 0.011},
		{"{\"training\":{\"validation_esr\":null}}", "", -1.0},
		{"{\"author\":\"x\",\"esr\":0.05}", "", 0.05},
		{"{\"name\":7,\"esr\":\"low\"}", "", -1.0},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		ModelDesc m;
		model_desc_init(&m);
		m.metadata_json = strdup(cases[k].meta);
		ModelSummary s;
		model_summary(&m, &s);
		assert(!strcmp(s.name, cases[k].name) && s.esr == cases[k].esr);
		free(m.metadata_json);
	}
	ModelDesc none;
	model_desc_init(&none);
	ModelSummary s;
	model_summary(&none, &s);
	assert(!s.name[0] && s.esr < 0);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_model_file.XXXXXX");
	assert(mkdtemp(dir));
	test_round_trip();
	test_latency_absent();
	test_latency_invalid();
	test_no_overwrite_without_force();
	test_selftest_mismatch();
	test_overflowing_model_refused();
	test_no_leftovers();
	test_fifo_refused();
	test_many_values_bounded();
	test_summary();
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert(system(cmd) == 0);
	printf("test_model_file: all passed\n");
	return 0;
}
