// SPDX-License-Identifier: ISC
// A table of broken model files, each with the status and the message it must produce. The
// files are made at run time in a temporary folder, from one valid model (a one-layer LSTM
// with its selftest pair) by a few edits each: a JSON value replaced or deleted at a key path,
// or raw text that JSON cannot express. Every row goes through model_read_file() (the
// project's format) and model_load_file() (format detection, then the selftest pair is run);
// both must fail, model_read_file() with the row's status and message, and both must leave the
// output description empty: no half-read model escapes.
#undef NDEBUG
#include "check.h"
#include "model_file.h"
#include "model_load.h"
#include "model_selftest.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_EDITS = 5, HIDDEN = 2, FRAMES = 8 };

// One change to the valid document. value is JSON text; NULL deletes the key; "#N" is an array
// of N numbers; "@TEXT" puts TEXT into the file verbatim (for what JSON cannot hold).
typedef struct {
	const char *path;
	const char *value;
} Edit;

typedef enum {
	FILE_EDITED,    // the base document with the edits
	FILE_RAW,       // raw text (in edits[0].value)
	FILE_DIRECTORY, // a folder where the file should be
	FILE_MISSING,   // no file at all
	FILE_HUGE,      // a sparse file one byte over MODEL_MAX_FILE_BYTES
} FileKind;

typedef struct {
	const char *what;
	FileKind kind;
	Edit edits[MAX_EDITS];
	ModelStatus status;  // from model_read_file (MODEL_OK: the file reads, see selftest)
	const char *message; // substring of the message
	int selftest;        // the file reads, but its selftest pair must fail
} Row;

// A table, aligned by hand.
// clang-format off
static const Row rows[] = {
	{"not JSON", FILE_RAW, {{NULL, "this is not a model"}}, MODEL_ERR_SYNTAX,
	 "not valid JSON: line 1", 0},
	{"empty file", FILE_RAW, {{NULL, ""}}, MODEL_ERR_SYNTAX, "the file is empty", 0},
	{"truncated JSON", FILE_RAW,
	 {{NULL, "{\"format\": \"lstm-lv2\", \"version\": 1, \"layers\": [{"}},
	 MODEL_ERR_SYNTAX, "not valid JSON", 0},
	{"a JSON array, not an object", FILE_RAW, {{NULL, "[1, 2, 3]"}}, MODEL_ERR_FORMAT,
	 "not an object", 0},
	{"a directory", FILE_DIRECTORY, {{NULL, NULL}}, MODEL_ERR_IO, "is a directory", 0},
	{"no such file", FILE_MISSING, {{NULL, NULL}}, MODEL_ERR_IO, "cannot open", 0},
	{"over 64 MiB", FILE_HUGE, {{NULL, NULL}}, MODEL_ERR_TOO_BIG, "over the limit", 0},
	{"duplicate key", FILE_EDITED, {{"sample_rate", "@48000, \"sample_rate\": 44100"}},
	 MODEL_ERR_SYNTAX, "duplicate", 0},
	{"invalid UTF-8", FILE_EDITED, {{"metadata.name", "@\"caf\xe9\""}}, MODEL_ERR_SYNTAX,
	 "unable to decode byte 0xe9", 0},
	{"1e999 overflows double", FILE_EDITED, {{"layers[0].W[0]", "@1e999"}}, MODEL_ERR_SYNTAX,
	 "real number overflow", 0},
	{"NaN is not JSON", FILE_EDITED, {{"layers[0].U[3]", "@NaN"}}, MODEL_ERR_SYNTAX,
	 "not valid JSON", 0},
	{"1e39 overflows float32", FILE_EDITED, {{"layers[0].b_hh[2]", "1e39"}}, MODEL_ERR_VALUE,
	 "layers[0].b_hh[2]: 1e+39 is not a finite float32", 0},
	{"missing format", FILE_EDITED, {{"format", NULL}}, MODEL_ERR_MISSING, "format: missing", 0},
	{"other format name", FILE_EDITED, {{"format", "\"nam\""}}, MODEL_ERR_VERSION,
	 "format: \"nam\", expected \"lstm-lv2\"", 0},
	{"unknown version", FILE_EDITED, {{"version", "2"}}, MODEL_ERR_VERSION,
	 "version: 2 is not a version this program reads", 0},
	{"version as a string", FILE_EDITED, {{"version", "\"1\""}}, MODEL_ERR_TYPE,
	 "version: expected an integer", 0},
	{"sample_rate as a string", FILE_EDITED, {{"sample_rate", "\"48000\""}}, MODEL_ERR_TYPE,
	 "sample_rate: expected a number, found a string", 0},
	{"sample_rate too low", FILE_EDITED, {{"sample_rate", "1000"}}, MODEL_ERR_RANGE,
	 "sample_rate: 1000, expected 8000 to 384000", 0},
	{"latency_samples as a string", FILE_EDITED, {{"latency_samples", "\"1.5\""}}, MODEL_ERR_TYPE,
	 "latency_samples: expected a number, found a string", 0},
	{"latency_samples null", FILE_EDITED, {{"latency_samples", "null"}}, MODEL_ERR_TYPE,
	 "latency_samples: expected a number, found null", 0},
	{"latency_samples negative", FILE_EDITED, {{"latency_samples", "-0.5"}}, MODEL_ERR_RANGE,
	 "latency_samples: -0.5, expected 0 to 480", 0},
	{"latency_samples over 10 ms", FILE_EDITED, {{"latency_samples", "480.5"}}, MODEL_ERR_RANGE,
	 "latency_samples: 480.5, expected 0 to 480", 0},
	{"latency_samples NaN", FILE_EDITED, {{"latency_samples", "@NaN"}}, MODEL_ERR_SYNTAX,
	 "not valid JSON", 0},
	{"missing architecture", FILE_EDITED, {{"architecture", NULL}}, MODEL_ERR_MISSING,
	 "architecture: missing", 0},
	{"architecture not an object", FILE_EDITED, {{"architecture", "[1]"}}, MODEL_ERR_TYPE,
	 "architecture: expected an object", 0},
	{"inputs 5", FILE_EDITED, {{"architecture.inputs", "5"}}, MODEL_ERR_RANGE,
	 "architecture.inputs: 5, expected 1 to 4", 0},
	{"skip over inputs", FILE_EDITED, {{"architecture.skip", "2"}}, MODEL_ERR_RANGE,
	 "architecture.skip: 2, expected 0 to 1", 0},
	{"missing layers", FILE_EDITED, {{"layers", NULL}}, MODEL_ERR_MISSING, "layers: missing", 0},
	{"layers not an array", FILE_EDITED, {{"layers", "{}"}}, MODEL_ERR_TYPE,
	 "layers: expected an array", 0},
	{"no layers", FILE_EDITED, {{"layers", "[]"}}, MODEL_ERR_RANGE,
	 "layers: 0 entries, expected 1 to 4", 0},
	{"five layers", FILE_EDITED, {{"layers", "[{}, {}, {}, {}, {}]"}}, MODEL_ERR_RANGE,
	 "layers: 5 entries, expected 1 to 4", 0},
	{"layer not an object", FILE_EDITED, {{"layers[0]", "7"}}, MODEL_ERR_TYPE,
	 "layers[0]: expected an object", 0},
	{"unknown cell type", FILE_EDITED, {{"layers[0].type", "\"rnn\""}}, MODEL_ERR_VALUE,
	 "layers[0].type: \"rnn\", expected \"lstm\", \"gru\" or \"lstm_peephole\"", 0},
	{"hidden 0", FILE_EDITED, {{"layers[0].hidden", "0"}}, MODEL_ERR_RANGE,
	 "layers[0].hidden: 0, expected 1 to 128", 0},
	{"hidden 129", FILE_EDITED, {{"layers[0].hidden", "129"}}, MODEL_ERR_RANGE,
	 "layers[0].hidden: 129, expected 1 to 128", 0},
	{"hidden 2.5", FILE_EDITED, {{"layers[0].hidden", "2.5"}}, MODEL_ERR_TYPE,
	 "layers[0].hidden: expected an integer, found a number", 0},
	{"layer inputs do not match", FILE_EDITED, {{"layers[0].inputs", "2"}}, MODEL_ERR_SHAPE,
	 "layers[0].inputs: 2, expected 1", 0},
	{"missing W", FILE_EDITED, {{"layers[0].W", NULL}}, MODEL_ERR_MISSING, "layers[0].W: missing",
	 0},
	{"U too short", FILE_EDITED, {{"layers[0].U", "#12"}}, MODEL_ERR_SHAPE,
	 "layers[0].U: 12 values, expected 16", 0},
	{"U too long for hidden 3", FILE_EDITED, {{"layers[0].U", "#128"}}, MODEL_ERR_SHAPE,
	 "layers[0].U: 128 values, expected 16", 0},
	{"U as a string", FILE_EDITED, {{"layers[0].U", "\"0 0 0\""}}, MODEL_ERR_TYPE,
	 "layers[0].U: expected an array of 16 numbers, found a string", 0},
	{"a weight as a string", FILE_EDITED, {{"layers[0].b_ih[1]", "\"0.5\""}}, MODEL_ERR_TYPE,
	 "layers[0].b_ih[1]: expected a number, found a string", 0},
	{"a weight null", FILE_EDITED, {{"layers[0].W[7]", "null"}}, MODEL_ERR_TYPE,
	 "layers[0].W[7]: expected a number, found null", 0},
	{"h0 wrong length", FILE_EDITED, {{"layers[0].h0", "#3"}}, MODEL_ERR_SHAPE,
	 "layers[0].h0: 3 values, expected 2", 0},
	{"peephole layer without peephole", FILE_EDITED, {{"layers[0].type", "\"lstm_peephole\""}},
	 MODEL_ERR_MISSING, "layers[0].peephole: missing", 0},
	{"missing dense", FILE_EDITED, {{"dense", NULL}}, MODEL_ERR_MISSING, "dense: missing", 0},
	{"dense inputs do not match", FILE_EDITED, {{"dense[0].inputs", "3"}}, MODEL_ERR_SHAPE,
	 "dense[0].inputs: 3, expected 2", 0},
	{"head with 2 outputs", FILE_EDITED,
	 {{"dense[0].outputs", "2"}, {"dense[0].W", "#4"}, {"dense[0].b", "#2"}}, MODEL_ERR_SHAPE,
	 "dense[0].outputs: 2, the last dense layer must have 1", 0},
	{"head not linear", FILE_EDITED, {{"dense[0].activation", "\"tanh\""}}, MODEL_ERR_VALUE,
	 "dense[0].activation: tanh, the last dense layer must be linear", 0},
	{"unknown activation", FILE_EDITED, {{"dense[0].activation", "\"swish\""}}, MODEL_ERR_VALUE,
	 "dense[0].activation: \"swish\"", 0},
	{"dense b too long", FILE_EDITED, {{"dense[0].b", "#2"}}, MODEL_ERR_SHAPE,
	 "dense[0].b: 2 values, expected 1", 0},
	{"controls on a one-input model", FILE_EDITED,
	 {{"controls", "[{\"name\": \"Gain\", \"min\": 0, \"max\": 1, \"default\": 0.5}]"}},
	 MODEL_ERR_SHAPE, "controls: 1 entries, expected 0", 0},
	{"control min over max", FILE_EDITED,
	 {{"architecture.inputs", "2"}, {"layers[0].inputs", "2"}, {"layers[0].W", "#16"},
	  {"controls", "[{\"name\": \"Gain\", \"min\": 1, \"max\": 0, \"default\": 0.5}]"},
	  {"selftest", NULL}},
	 MODEL_ERR_RANGE, "controls[0]: needs finite min < max", 0},
	{"two inputs, selftest for one", FILE_EDITED,
	 {{"architecture.inputs", "2"}, {"layers[0].inputs", "2"}, {"layers[0].W", "#16"}},
	 MODEL_ERR_SHAPE, "selftest.input: 8 values, expected 16", 0},
	{"levels gain 200 dB", FILE_EDITED, {{"levels", "{\"input_gain_db\": 200}"}}, MODEL_ERR_RANGE,
	 "levels.input_gain_db: 200, expected -100 to 100", 0},
	{"metadata not an object", FILE_EDITED, {{"metadata", "\"x\""}}, MODEL_ERR_TYPE,
	 "metadata: expected an object", 0},
	{"selftest input too short", FILE_EDITED, {{"selftest.input", "#7"}}, MODEL_ERR_SHAPE,
	 "selftest.input: 7 values, expected 8", 0},
	{"selftest without output", FILE_EDITED, {{"selftest.output", NULL}}, MODEL_ERR_MISSING,
	 "selftest.output: missing", 0},
	{"selftest tolerance 0", FILE_EDITED, {{"selftest.tolerance", "0"}}, MODEL_ERR_RANGE,
	 "selftest.tolerance: 0", 0},
	{"selftest output wrong", FILE_EDITED, {{"selftest.output[5]", "0.75"}}, MODEL_OK,
	 "at frame 5", 1},
};
// clang-format on

// The valid model every row starts from: one LSTM layer (1 input, 2 units), the head, skip 1,
// a little metadata and a selftest pair made by the engine itself.
static json_t *base_document(void)
{
	ModelDesc m;
	model_desc_init(&m);
	m.inputs = 1;
	m.skip = 1;
	m.sample_rate = 48000.0;
	m.num_layers = 1;
	m.layers[0] = (RecurrentLayerDesc){.cell = CELL_LSTM, .inputs = 1, .hidden = HIDDEN};
	m.num_dense = 1;
	m.dense[0] = (DenseLayerDesc){.inputs = HIDDEN, .outputs = 1, .activation = ACT_LINEAR};
	if (model_desc_alloc_layer(&m.layers[0]) || model_desc_alloc_dense(&m.dense[0]))
		abort();
	RecurrentLayerDesc *l = &m.layers[0];
	for (int k = 0; k < 4 * HIDDEN; k++) {
		l->w_ih[k] = 0.1f * (float)(k + 1);
		l->b_ih[k] = 0.05f * (float)(k % 3);
		l->b_hh[k] = -0.02f * (float)k;
	}
	for (int k = 0; k < 4 * HIDDEN * HIDDEN; k++)
		l->w_hh[k] = 0.3f - 0.04f * (float)k;
	l->h0 = calloc(HIDDEN, sizeof(float));
	if (!l->h0)
		abort();
	m.dense[0].w[0] = 0.7f;
	m.dense[0].w[1] = -0.4f;
	m.dense[0].b[0] = 0.01f;
	m.metadata_json = strdup("{\"name\": \"base\"}");
	float in[FRAMES] = {0.0f, 0.5f, -0.25f, 0.9f, -1.0f, 0.1f, 0.3f, -0.6f};
	ModelError err;
	if (!m.metadata_json || model_selftest_fill(&m, in, FRAMES, &err) != MODEL_OK)
		abort();
	json_t *doc = model_to_json(&m, &err);
	if (!doc) {
		fprintf(stderr, "base model: %s\n", err.message);
		abort();
	}
	model_desc_free(&m);
	return doc;
}

// Finds the value at path ("layers[0].W[3]") and its container: *parent is an object (then
// *key is set) or an array (then *index is set). Returns 0, or -1 if the container is absent.
static int locate(json_t *root, const char *path, json_t **parent, char *key, size_t *index)
{
	json_t *cur = root;
	const char *p = path;
	*parent = NULL;
	while (*p) {
		if (*p == '.')
			p++;
		if (*p == '[') {
			char *end;
			size_t i = strtoul(p + 1, &end, 10);
			p = end + 1;
			*parent = cur;
			*index = i;
			key[0] = '\0';
			cur = json_array_get(cur, i);
		} else {
			size_t n = strcspn(p, ".[");
			memcpy(key, p, n);
			key[n] = '\0';
			p += n;
			*parent = cur;
			cur = json_object_get(cur, key);
		}
		if (*p && !cur)
			return -1;
	}
	return *parent ? 0 : -1;
}

static json_t *value_of(const char *text)
{
	if (text[0] == '#') {
		json_t *arr = json_array();
		for (long k = strtol(text + 1, NULL, 10); k > 0; k--)
			json_array_append_new(arr, json_real(0.125));
		return arr;
	}
	json_error_t jerr;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (!v) {
		fprintf(stderr, "bad edit value %s: %s\n", text, jerr.text);
		abort();
	}
	return v;
}

static const char RAW_MARK[] = "\"@@RAW@@\"";

// The text of the base document with the row's edits applied.
static char *edited_text(const json_t *base, const Row *row)
{
	json_t *doc = json_deep_copy(base);
	const char *raw = NULL;
	for (int e = 0; e < MAX_EDITS && row->edits[e].path; e++) {
		const Edit *ed = &row->edits[e];
		json_t *parent;
		char key[64];
		size_t index = 0;
		if (locate(doc, ed->path, &parent, key, &index) != 0) {
			fprintf(stderr, "%s: no place %s in the base model\n", row->what, ed->path);
			abort();
		}
		json_t *v;
		if (!ed->value) {
			json_object_del(parent, key);
			continue;
		}
		if (ed->value[0] == '@') {
			raw = ed->value + 1;
			v = json_string("@@RAW@@");
		} else {
			v = value_of(ed->value);
		}
		if (key[0])
			json_object_set_new(parent, key, v);
		else
			json_array_set_new(parent, index, v);
	}
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	char *mark = raw ? strstr(text, RAW_MARK) : NULL;
	if (!raw)
		return text;
	if (!mark)
		abort();
	size_t head = (size_t)(mark - text), rawlen = strlen(raw),
		   tail = strlen(mark + strlen(RAW_MARK));
	char *out = malloc(head + rawlen + tail + 1);
	memcpy(out, text, head);
	memcpy(out + head, raw, rawlen);
	memcpy(out + head + rawlen, mark + strlen(RAW_MARK), tail + 1);
	free(text);
	return out;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		abort();
	}
}

// Creates the row's file at path (or a folder, or nothing).
static void make_file(const json_t *base, const Row *row, const char *path)
{
	char *text;
	switch (row->kind) {
	case FILE_RAW: write_text(path, row->edits[0].value); break;
	case FILE_EDITED:
		text = edited_text(base, row);
		write_text(path, text);
		free(text);
		break;
	case FILE_DIRECTORY:
		if (mkdir(path, 0700) != 0)
			abort();
		break;
	case FILE_MISSING: break;
	case FILE_HUGE: {
		// Sparse: one byte over the limit without writing 64 MiB.
		int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, (off_t)MODEL_MAX_FILE_BYTES + 1) != 0 || close(fd) != 0)
			abort();
		break;
	}
	}
}

static void remove_file(const Row *row, const char *path)
{
	if (row->kind == FILE_DIRECTORY)
		rmdir(path);
	else if (row->kind != FILE_MISSING)
		unlink(path);
}

static int desc_is_empty(const ModelDesc *m)
{
	ModelDesc empty;
	model_desc_init(&empty);
	return memcmp(m, &empty, sizeof empty) == 0;
}

// How many times needle occurs in s.
static int occurrences(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_row(const json_t *base, const Row *row, const char *dir, int k)
{
	char path[512];
	snprintf(path, sizeof path, "%s/row%02d.json", dir, k);
	make_file(base, row, path);

	ModelDesc m;
	ModelError err = {MODEL_OK, ""};
	memset(&m, 0xab, sizeof m); // the reader must initialise it, not trust it
	ModelStatus st = model_read_file(path, &m, &err);
	CHECK(st == row->status && err.status == st,
	      "%s: model_read_file gave %s (%d), expected %s: \"%s\"", row->what, model_status_name(st),
	      (int)st, model_status_name(row->status), err.message);
	if (!row->selftest) {
		CHECK(strstr(err.message, row->message) != NULL, "%s: message \"%s\" lacks \"%s\"",
		      row->what, err.message, row->message);
		CHECK(occurrences(err.message, path) == 1,
		      "%s: message \"%s\" does not name the file exactly once", row->what, err.message);
		CHECK(desc_is_empty(&m), "%s: model_read_file left a partial model", row->what);
		printf("%-34s %-16s %s\n", row->what, model_status_name(st), err.message);
	} else {
		// The file reads; running its reference pair is what fails.
		double worst = 0.0;
		ModelError serr;
		ModelStatus sst = st == MODEL_OK ? model_selftest_run(&m, &worst, &serr) : st;
		CHECK(sst == MODEL_ERR_SELFTEST && strstr(serr.message, row->message),
		      "%s: model_selftest_run gave %s: \"%s\"", row->what, model_status_name(sst),
		      sst == MODEL_OK || st != MODEL_OK ? "" : serr.message);
		CHECK(worst > 0.5, "%s: largest error %g, expected over 0.5", row->what, worst);
		if (sst == MODEL_ERR_SELFTEST)
			printf("%-34s %-16s %s\n", row->what, model_status_name(sst), serr.message);
		model_desc_free(&m);
	}

	// The loader that detects the format refuses it too, names the file once, leaves nothing.
	memset(&m, 0xab, sizeof m);
	st = model_load_file(path, &m, &err);
	CHECK(st != MODEL_OK, "%s: model_load_file accepted it", row->what);
	CHECK(!row->selftest || st == MODEL_ERR_SELFTEST, "%s: model_load_file gave %s", row->what,
	      model_status_name(st));
	CHECK(occurrences(err.message, path) == 1,
	      "%s: model_load_file message \"%s\" does not "
	      "name the file exactly once",
	      row->what, err.message);
	CHECK(desc_is_empty(&m), "%s: model_load_file left a partial model", row->what);
	remove_file(row, path);
}

static void test_base_is_valid(const json_t *base, const char *dir)
{
	char path[512];
	snprintf(path, sizeof path, "%s/base.json", dir);
	char *text = json_dumps(base, JSON_INDENT(1));
	write_text(path, text);
	free(text);
	ModelDesc m;
	ModelError err;
	CHECK(model_read_file(path, &m, &err) == MODEL_OK, "the base model does not read: %s",
	      err.message);
	model_desc_free(&m);
	CHECK(model_load_file(path, &m, &err) == MODEL_OK, "the base model does not load: %s",
	      err.message);
	model_desc_free(&m);
	unlink(path);
}

int main(void)
{
	char dir[400];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/lstm-malformed-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	json_t *base = base_document();
	test_base_is_valid(base, dir);
	const int n = (int)(sizeof rows / sizeof rows[0]);
	for (int k = 0; k < n; k++)
		test_row(base, &rows[k], dir, k);
	json_decref(base);
	rmdir(dir);
	printf("%d malformed files\n", n);
	CHECK(n >= 15, "only %d rows", n);
	return check_result();
}
