// SPDX-License-Identifier: ISC
// The large malformed-model table: every case must be refused with the expected status and a
// message naming the problem, leave the output description empty, and not crash. Cases are
// made from valid seed files by truncation at many offsets, by edits at a key path, and by
// raw byte-level damage (encodings, nesting, sizes). Run under ASan in CI.
#undef NDEBUG
#include "model_file.h"
#include "model_load.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cases, failures;

static int desc_is_empty(const ModelDesc *m)
{
	ModelDesc empty;
	model_desc_init(&empty);
	return memcmp(m, &empty, sizeof empty) == 0;
}

static void expect(const char *name, ModelStatus got, const ModelError *err, const ModelDesc *m,
                   ModelStatus want, const char *substring)
{
	cases++;
	int ok = got == want && (!substring || strstr(err->message, substring)) && desc_is_empty(m);
	if (!ok) {
		failures++;
		fprintf(stderr, "FAIL %s: got %s \"%s\", want %s \"%s\"%s\n", name, model_status_name(got),
		        err->message, model_status_name(want), substring ? substring : "",
		        desc_is_empty(m) ? "" : " (description not empty)");
	}
}

static void expect_buffer(const char *name, const char *data, size_t size, ModelStatus want,
                          const char *substring)
{
	ModelDesc m;
	ModelError err = {MODEL_OK, ""};
	ModelStatus st = model_load_buffer(data, size, name, &m, &err);
	expect(name, st, &err, &m, want, substring);
	model_desc_free(&m);
}

static char *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	assert(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	buf[n] = 0;
	fclose(f);
	*size = (size_t)n;
	return buf;
}

// --- edits at a key path -------------------------------------------------------------------

typedef enum { OP_DELETE, OP_SET, OP_APPEND, OP_POP } EditOp;

typedef struct {
	const char *name;
	const char *path; // "layers[0].U", "architecture.inputs", "" for the root
	EditOp op;
	const char *value; // JSON text for OP_SET / OP_APPEND
	ModelStatus want;
	const char *substring;
} Edit;

// Resolves "a.b[2].c" to the parent container and the last key/index.
static json_t *resolve_parent(json_t *root, const char *path, char *last_key, int *last_index)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *node = root, *parent = NULL;
	char *save = NULL;
	*last_index = -1;
	last_key[0] = 0;
	for (char *tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save)) {
		char *bracket = strchr(tok, '[');
		int index = -1;
		if (bracket) {
			index = atoi(bracket + 1);
			*bracket = 0;
		}
		parent = node;
		node = json_object_get(parent, tok);
		snprintf(last_key, 64, "%s", tok);
		*last_index = -1;
		if (index >= 0) {
			parent = node;
			node = json_array_get(parent, (size_t)index);
			*last_index = index;
		}
		assert(parent);
	}
	return parent;
}

static void apply_edit(const char *seed_text, const Edit *e)
{
	json_t *root = json_loads(seed_text, 0, NULL);
	assert(root);
	char key[64];
	int index;
	json_t *parent = resolve_parent(root, e->path, key, &index);
	json_t *target =
		index >= 0 ? json_array_get(parent, (size_t)index) : json_object_get(parent, key);
	json_t *value = e->value ? json_loads(e->value, JSON_DECODE_ANY, NULL) : NULL;
	if (e->value)
		assert(value);
	switch (e->op) {
	case OP_DELETE:
		if (index >= 0)
			json_array_remove(parent, (size_t)index);
		else
			json_object_del(parent, key);
		break;
	case OP_SET:
		if (index >= 0)
			json_array_set(parent, (size_t)index, value);
		else
			json_object_set(parent, key, value);
		break;
	case OP_APPEND: json_array_append(target, value); break;
	case OP_POP: json_array_remove(target, json_array_size(target) - 1); break;
	}
	json_decref(value);
	char *text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17));
	assert(text);
	expect_buffer(e->name, text, strlen(text), e->want, e->substring);
	free(text);
	json_decref(root);
}

// Edits against seed_peephole_knobs.json: 3 inputs, a 4-unit peephole LSTM with h0/c0,
// dense 4->2 tanh, head 2->1, two controls, levels, metadata.
// A table, aligned by hand.
// clang-format off
static const Edit knob_edits[] = {
	{"no format", "format", OP_DELETE, NULL, MODEL_ERR_FORMAT, "not a model file"},
	{"format wrong", "format", OP_SET, "\"lstm-lv3\"", MODEL_ERR_VERSION, "format: \"lstm-lv3\""},
	{"format number", "format", OP_SET, "1", MODEL_ERR_TYPE, "format: expected a string"},
	{"no version", "version", OP_DELETE, NULL, MODEL_ERR_MISSING, "version: missing"},
	{"version 2", "version", OP_SET, "2", MODEL_ERR_VERSION, "version: 2"},
	{"version 0", "version", OP_SET, "0", MODEL_ERR_VERSION, "version: 0"},
	{"version string", "version", OP_SET, "\"1\"", MODEL_ERR_TYPE, "version"},
	{"version real", "version", OP_SET, "1.5", MODEL_ERR_TYPE, "version"},
	{"no rate", "sample_rate", OP_DELETE, NULL, MODEL_ERR_MISSING, "sample_rate: missing"},
	{"rate string", "sample_rate", OP_SET, "\"48000\"", MODEL_ERR_TYPE,
	 "sample_rate: expected a number"},
	{"rate zero", "sample_rate", OP_SET, "0", MODEL_ERR_RANGE, "sample_rate"},
	{"rate negative", "sample_rate", OP_SET, "-48000", MODEL_ERR_RANGE, "sample_rate"},
	{"rate huge", "sample_rate", OP_SET, "1e300", MODEL_ERR_RANGE, "sample_rate"},
	{"rate null", "sample_rate", OP_SET, "null", MODEL_ERR_TYPE, "sample_rate"},
	{"latency string", "latency_samples", OP_SET, "\"2\"", MODEL_ERR_TYPE,
	 "latency_samples: expected a number"},
	{"latency bool", "latency_samples", OP_SET, "true", MODEL_ERR_TYPE,
	 "latency_samples: expected a number"},
	{"latency array", "latency_samples", OP_SET, "[1.5]", MODEL_ERR_TYPE,
	 "latency_samples: expected a number"},
	{"latency negative", "latency_samples", OP_SET, "-1e-9", MODEL_ERR_RANGE,
	 "latency_samples: -1e-09, expected 0 to 480"},
	{"latency one second", "latency_samples", OP_SET, "48000", MODEL_ERR_RANGE,
	 "latency_samples: 48000, expected 0 to 480"},
	{"latency huge", "latency_samples", OP_SET, "1e300", MODEL_ERR_RANGE, "latency_samples"},
	{"no architecture", "architecture", OP_DELETE, NULL, MODEL_ERR_MISSING,
	 "architecture: missing"},
	{"architecture array", "architecture", OP_SET, "[]", MODEL_ERR_TYPE, "architecture"},
	{"inputs 0", "architecture.inputs", OP_SET, "0", MODEL_ERR_RANGE, "architecture.inputs: 0"},
	{"inputs 5", "architecture.inputs", OP_SET, "5", MODEL_ERR_RANGE, "architecture.inputs: 5"},
	{"inputs 2", "architecture.inputs", OP_SET, "2", MODEL_ERR_SHAPE,
	 "layers[0].inputs: 3, expected 2"},
	{"inputs huge", "architecture.inputs", OP_SET, "4294967297", MODEL_ERR_RANGE,
	 "architecture.inputs"},
	{"skip 4", "architecture.skip", OP_SET, "4", MODEL_ERR_RANGE, "architecture.skip: 4"},
	{"skip -1", "architecture.skip", OP_SET, "-1", MODEL_ERR_RANGE, "architecture.skip: -1"},
	{"skip bool", "architecture.skip", OP_SET, "true", MODEL_ERR_TYPE, "architecture.skip"},
	{"no layers", "layers", OP_DELETE, NULL, MODEL_ERR_MISSING, "layers: missing"},
	{"layers empty", "layers", OP_SET, "[]", MODEL_ERR_RANGE, "layers: 0 entries"},
	{"layers object", "layers", OP_SET, "{}", MODEL_ERR_TYPE, "layers: expected an array"},
	{"layer not object", "layers[0]", OP_SET, "3", MODEL_ERR_TYPE, "layers[0]"},
	{"cell unknown", "layers[0].type", OP_SET, "\"rnn\"", MODEL_ERR_VALUE,
	 "layers[0].type: \"rnn\""},
	{"cell missing", "layers[0].type", OP_DELETE, NULL, MODEL_ERR_MISSING,
	 "layers[0].type: missing"},
	{"cell case", "layers[0].type", OP_SET, "\"LSTM\"", MODEL_ERR_VALUE, "layers[0].type"},
	{"hidden 0", "layers[0].hidden", OP_SET, "0", MODEL_ERR_RANGE, "layers[0].hidden: 0"},
	{"hidden 129", "layers[0].hidden", OP_SET, "129", MODEL_ERR_RANGE, "layers[0].hidden: 129"},
	{"hidden -4", "layers[0].hidden", OP_SET, "-4", MODEL_ERR_RANGE, "layers[0].hidden: -4"},
	{"hidden real", "layers[0].hidden", OP_SET, "4.0", MODEL_ERR_TYPE, "layers[0].hidden"},
	{"hidden 5", "layers[0].hidden", OP_SET, "5", MODEL_ERR_SHAPE,
	 "layers[0].W: 48 values, expected 60"},
	{"hidden 3", "layers[0].hidden", OP_SET, "3", MODEL_ERR_SHAPE,
	 "layers[0].W: 48 values, expected 36"},
	{"layer inputs wrong", "layers[0].inputs", OP_SET, "1", MODEL_ERR_SHAPE,
	 "layers[0].inputs: 1, expected 3"},
	{"W missing", "layers[0].W", OP_DELETE, NULL, MODEL_ERR_MISSING, "layers[0].W: missing"},
	{"W short", "layers[0].W", OP_POP, NULL, MODEL_ERR_SHAPE,
	 "layers[0].W: 47 values, expected 48"},
	{"W long", "layers[0].W", OP_APPEND, "0.5", MODEL_ERR_SHAPE,
	 "layers[0].W: 49 values, expected 48"},
	{"W string", "layers[0].W", OP_SET, "\"0.1\"", MODEL_ERR_TYPE,
	 "layers[0].W: expected an array"},
	{"W nested", "layers[0].W", OP_SET, "[[0.1]]", MODEL_ERR_SHAPE, "layers[0].W: 1 values"},
	{"U short", "layers[0].U", OP_POP, NULL, MODEL_ERR_SHAPE,
	 "layers[0].U: 63 values, expected 64"},
	{"U element string", "layers[0].U[3]", OP_SET, "\"x\"", MODEL_ERR_TYPE,
	 "layers[0].U[3]: expected a number"},
	{"U element null", "layers[0].U[0]", OP_SET, "null", MODEL_ERR_TYPE, "layers[0].U[0]"},
	{"U element bool", "layers[0].U[63]", OP_SET, "false", MODEL_ERR_TYPE, "layers[0].U[63]"},
	{"U float overflow", "layers[0].U[5]", OP_SET, "1e39", MODEL_ERR_VALUE,
	 "layers[0].U[5]: 1e+39 is not a finite float32"},
	{"U negative overflow", "layers[0].U[6]", OP_SET, "-3.5e38", MODEL_ERR_VALUE, "layers[0].U[6]"},
	{"b_ih missing", "layers[0].b_ih", OP_DELETE, NULL, MODEL_ERR_MISSING,
	 "layers[0].b_ih: missing"},
	{"b_hh long", "layers[0].b_hh", OP_APPEND, "1", MODEL_ERR_SHAPE,
	 "layers[0].b_hh: 17 values, expected 16"},
	{"peephole missing", "layers[0].peephole", OP_DELETE, NULL, MODEL_ERR_MISSING,
	 "layers[0].peephole: missing"},
	{"peephole short", "layers[0].peephole", OP_POP, NULL, MODEL_ERR_SHAPE,
	 "layers[0].peephole: 11 values, expected 12"},
	{"h0 short", "layers[0].h0", OP_POP, NULL, MODEL_ERR_SHAPE,
	 "layers[0].h0: 3 values, expected 4"},
	{"c0 long", "layers[0].c0", OP_APPEND, "0", MODEL_ERR_SHAPE,
	 "layers[0].c0: 5 values, expected 4"},
	{"c0 overflow", "layers[0].c0[1]", OP_SET, "4e38", MODEL_ERR_VALUE, "layers[0].c0[1]"},
	{"five layers", "layers", OP_SET, "[{},{},{},{},{}]", MODEL_ERR_RANGE,
	 "layers: 5 entries, expected 1 to 4"},
	{"no dense", "dense", OP_DELETE, NULL, MODEL_ERR_MISSING, "dense: missing"},
	{"dense empty", "dense", OP_SET, "[]", MODEL_ERR_RANGE, "dense: 0 entries"},
	{"dense inputs", "dense[0].inputs", OP_SET, "5", MODEL_ERR_SHAPE,
	 "dense[0].inputs: 5, expected 4"},
	{"dense outputs 0", "dense[0].outputs", OP_SET, "0", MODEL_ERR_RANGE, "dense[0].outputs: 0"},
	{"dense outputs 3", "dense[0].outputs", OP_SET, "3", MODEL_ERR_SHAPE,
	 "dense[0].W: 8 values, expected 12"},
	{"dense activation", "dense[0].activation", OP_SET, "\"softmax\"", MODEL_ERR_VALUE,
	 "dense[0].activation: \"softmax\""},
	{"dense activation missing", "dense[0].activation", OP_DELETE, NULL, MODEL_ERR_MISSING,
	 "dense[0].activation: missing"},
	{"head activation", "dense[1].activation", OP_SET, "\"tanh\"", MODEL_ERR_VALUE,
	 "must be linear"},
	{"dense b short", "dense[1].b", OP_POP, NULL, MODEL_ERR_SHAPE,
	 "dense[1].b: 0 values, expected 1"},
	{"head two outputs", "dense[1]", OP_SET,
	 "{\"inputs\":2,\"outputs\":2,\"activation\":\"linear\",\"W\":[0,0,0,0],\"b\":[0,0]}",
	 MODEL_ERR_SHAPE, "dense[1].outputs: 2, the last dense layer must have 1"},
	{"controls count", "controls", OP_POP, NULL, MODEL_ERR_SHAPE,
	 "controls: 1 entries, expected 2"},
	{"controls object", "controls", OP_SET, "{}", MODEL_ERR_TYPE, "controls: expected an array"},
	{"control name", "controls[0].name", OP_DELETE, NULL, MODEL_ERR_MISSING,
	 "controls[0].name: missing"},
	{"control min>max", "controls[0].min", OP_SET, "2", MODEL_ERR_RANGE, "controls[0]"},
	{"control default out", "controls[1].default", OP_SET, "5", MODEL_ERR_RANGE, "controls[1]"},
	{"control max string", "controls[1].max", OP_SET, "\"1\"", MODEL_ERR_TYPE, "controls[1].max"},
	{"levels gain huge", "levels.input_gain_db", OP_SET, "200", MODEL_ERR_RANGE,
	 "levels.input_gain_db"},
	{"levels gain string", "levels.output_gain_db", OP_SET, "\"3\"", MODEL_ERR_TYPE,
	 "levels.output_gain_db"},
	{"levels a string", "levels", OP_SET, "\"loud\"", MODEL_ERR_TYPE, "levels: expected an object"},
	{"levels unknown key", "levels", OP_SET, "{\"input_gain\":6}", MODEL_ERR_FORMAT,
	 "levels.input_gain: not a key of levels"},
	{"metadata array", "metadata", OP_SET, "[1]", MODEL_ERR_TYPE, "metadata: expected an object"},
	{"selftest no output", "selftest", OP_SET, "{\"input\":[0,0,0]}", MODEL_ERR_MISSING,
	 "selftest.output: missing"},
	{"selftest short input", "selftest", OP_SET, "{\"input\":[0,0],\"output\":[0]}",
	 MODEL_ERR_SHAPE, "selftest.input: 2 values, expected 3"},
	{"selftest empty", "selftest", OP_SET, "{\"input\":[],\"output\":[]}", MODEL_ERR_RANGE,
	 "selftest.output: 0 values"},
	{"selftest tolerance", "selftest", OP_SET,
	 "{\"input\":[0,0,0],\"output\":[0],\"tolerance\":-1}", MODEL_ERR_RANGE, "selftest.tolerance"},
	{"selftest mismatch", "selftest", OP_SET, "{\"input\":[0,0,0],\"output\":[1000]}",
	 MODEL_ERR_SELFTEST, "differs from the reference"},
	{"selftest NaN-free", "selftest", OP_SET, "{\"input\":[0,0,1e39],\"output\":[0]}",
	 MODEL_ERR_VALUE, "selftest.input[2]"},
	{"root replaced", "architecture", OP_SET, "\"lstm\"", MODEL_ERR_TYPE, "architecture"},
};
// clang-format on

// --- raw byte-level damage -------------------------------------------------------------------

typedef struct {
	const char *name;
	const char *text;
	ModelStatus want;
	const char *substring;
} RawCase;

// A table, aligned by hand.
// clang-format off
static const RawCase raw_cases[] = {
	{"empty", "", MODEL_ERR_SYNTAX, "empty"},
	{"spaces", "   \n\t ", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"null", "null", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"array root", "[1,2,3]", MODEL_ERR_FORMAT, "not an object"},
	{"number root", "42", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"empty object", "{}", MODEL_ERR_FORMAT, "not a model file"},
	{"text", "hello, world", MODEL_ERR_SYNTAX, "line 1"},
	{"NaN literal", "{\"format\":\"lstm-lv2\",\"version\":NaN}", MODEL_ERR_SYNTAX,
	 "not valid JSON"},
	{"Infinity literal", "{\"x\":Infinity}", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"overflow", "{\"x\":1e999}", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"trailing comma", "{\"format\":\"lstm-lv2\",}", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"duplicate key", "{\"format\":\"lstm-lv2\",\"format\":\"x\"}", MODEL_ERR_SYNTAX, "duplicate"},
	{"bad utf8", "{\"format\":\"\xff\xfe\"}", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"utf16 bom", "\xff\xfe{\x00}\x00", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"utf8 bom", "\xef\xbb\xbf{}", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"nul byte", "{\"format\":\"lstm\x00lv2\"}", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"two documents", "{}{}", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"binary", "\x89PNG\r\n\x1a\n", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"unterminated string", "{\"format\":\"lstm-lv2", MODEL_ERR_SYNTAX, "not valid JSON"},
	{"comment", "// model\n{}", MODEL_ERR_SYNTAX, "not valid JSON"},
};
// clang-format on

static void test_raw_cases(void)
{
	for (size_t k = 0; k < sizeof raw_cases / sizeof raw_cases[0]; k++) {
		const RawCase *c = &raw_cases[k];
		size_t len = strlen(c->text);
		if (strcmp(c->name, "nul byte") == 0 || strcmp(c->name, "utf16 bom") == 0)
			len = strcmp(c->name, "nul byte") == 0 ? 22 : 6;
		expect_buffer(c->name, c->text, len, c->want, c->substring);
	}
}

static void test_deep_nesting(void)
{
	size_t depth = 100000;
	char *text = malloc(2 * depth + 1);
	assert(text);
	memset(text, '[', depth);
	memset(text + depth, ']', depth);
	text[2 * depth] = 0;
	expect_buffer("deep nesting", text, 2 * depth, MODEL_ERR_SYNTAX, "not valid JSON");
	free(text);
}

static void test_truncations(const char *seed_name, const char *text, size_t size, int count)
{
	for (int k = 1; k <= count; k++) {
		size_t cut = size * (size_t)k / (size_t)(count + 1);
		char name[96];
		snprintf(name, sizeof name, "%s truncated at %zu of %zu", seed_name, cut, size);
		expect_buffer(name, text, cut, cut == 0 ? MODEL_ERR_SYNTAX : MODEL_ERR_SYNTAX, NULL);
	}
}

static void test_files(const char *dir)
{
	char path[512];
	ModelDesc m;
	ModelError err = {MODEL_OK, ""};
	expect("directory", model_load_file(dir, &m, &err), &err, &m, MODEL_ERR_IO, "is a directory");
	snprintf(path, sizeof path, "%s/does-not-exist.json", dir);
	expect("missing file", model_load_file(path, &m, &err), &err, &m, MODEL_ERR_IO, "No such file");

	// A file one byte over the size limit: sparse, so it costs no disk.
	char big[] = "/tmp/test_malformed_big.XXXXXX";
	int fd = mkstemp(big);
	assert(fd >= 0);
	assert(ftruncate(fd, (off_t)MODEL_MAX_FILE_BYTES + 1) == 0);
	close(fd);
	expect("over the size limit", model_load_file(big, &m, &err), &err, &m, MODEL_ERR_TOO_BIG,
	       "over the limit");
	unlink(big);
}

int main(int argc, char **argv)
{
	assert(argc == 3); // the seed corpus folder, and a folder that exists (for the directory case)
	char path[512];
	size_t size;
	snprintf(path, sizeof path, "%s/peephole_knobs.json", argv[1]);
	char *knobs = read_all(path, &size);
	test_truncations("peephole_knobs", knobs, size, 40);
	for (size_t k = 0; k < sizeof knob_edits / sizeof knob_edits[0]; k++)
		apply_edit(knobs, &knob_edits[k]);
	free(knobs);
	snprintf(path, sizeof path, "%s/gru_2x3.json", argv[1]);
	char *gru = read_all(path, &size);
	test_truncations("gru_2x3", gru, size, 10);
	const Edit gru_edits[] = {
		{"gru second inputs", "layers[1].inputs", OP_SET, "1", MODEL_ERR_SHAPE,
	     "layers[1].inputs: 1, expected 3"},
		{"gru U short", "layers[1].U", OP_POP, NULL, MODEL_ERR_SHAPE,
	     "layers[1].U: 26 values, expected 27"},
	};
	for (size_t k = 0; k < sizeof gru_edits / sizeof gru_edits[0]; k++)
		apply_edit(gru, &gru_edits[k]);
	free(gru);
	test_raw_cases();
	test_deep_nesting();
	test_files(argv[2]);
	printf("test_malformed_models: %d cases, %d failures\n", cases, failures);
	return failures ? 1 : 0;
}
