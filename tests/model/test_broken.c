// SPDX-License-Identifier: ISC
// The broken-file table: variants of a good file of each format (truncated, wrong shapes, wrong
// lengths, unknown layer types, non-finite weights, bad sizes, missing keys), each generated
// here from the good document, must be refused with the expected status and a message naming
// the key path. rtneural_bad_lstm.json (RTNeural's own must-fail file) is refused too.
#undef NDEBUG
#include "interop_common.h"
#include "model_import.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>

static const char *data_dir;

typedef ModelStatus (*ImportFn)(const json_t *, ModelDesc *, ModelError *);

static json_t *load_doc(const char *name)
{
	json_error_t je;
	json_t *root = json_load_file(test_path(data_dir, name), 0, &je);
	REQUIRE(root != NULL, "%s: %s", name, je.text);
	return root;
}

// The value at a path such as "layers/0/weights/1" (numbers index arrays).
static json_t *at(json_t *root, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *v = root;
	for (char *tok = strtok(buf, "/"); tok && v; tok = strtok(NULL, "/"))
		v = isdigit((unsigned char)tok[0]) ? json_array_get(v, (size_t)atoi(tok))
		                                   : json_object_get(v, tok);
	REQUIRE(v != NULL, "no value at %s", path);
	return v;
}

static void set(json_t *root, const char *path, const char *key, json_t *value)
{
	json_t *parent = path[0] ? at(root, path) : root;
	if (json_is_array(parent))
		REQUIRE(json_array_set_new(parent, (size_t)atoi(key), value) == 0, "set %s/%s", path, key);
	else
		REQUIRE(json_object_set_new(parent, key, value) == 0, "set %s/%s", path, key);
}

static void expect_refused(const char *label, ImportFn fn, json_t *doc, ModelStatus status,
                           const char *needle)
{
	ModelDesc m;
	ModelError err = {MODEL_OK, ""};
	memset(&m, 0x5a, sizeof m); // the importer must not read what was there
	ModelStatus st = fn(doc, &m, &err);
	printf("%-44s -> %s: %s\n", label, model_status_name(st), err.message);
	REQUIRE(st == status, "%s: status %s, expected %s (%s)", label, model_status_name(st),
	        model_status_name(status), err.message);
	REQUIRE(err.status == status, "%s: err.status", label);
	REQUIRE(strstr(err.message, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", label,
	        err.message, needle);
	REQUIRE(m.num_layers == 0 && m.metadata_json == NULL && m.layers[0].w_ih == NULL,
	        "%s: out is not left empty", label);
	json_decref(doc);
}

// Truncating a file anywhere leaves text that does not parse (the loader reports jansson's
// line and column); truncating the structure is a missing key or a short array.
static void test_truncated(void)
{
	static const char *const files[] = {"rtneural_lstm_1d.json", "BossLSTM-2x8.nam"};
	for (size_t k = 0; k < 2; k++) {
		FILE *f = fopen(test_path(data_dir, files[k]), "rb");
		REQUIRE(f != NULL, "%s", files[k]);
		char *buf = malloc(1 << 20);
		size_t n = fread(buf, 1, 1 << 20, f);
		fclose(f);
		for (size_t cut = 1; cut < n - 2; cut += n / 7) {
			json_error_t je;
			json_t *root = json_loadb(buf, cut, 0, &je);
			REQUIRE(root == NULL, "%s cut at %zu parsed", files[k], cut);
			REQUIRE(je.line >= 1 && je.text[0], "%s: no position", files[k]);
		}
		free(buf);
	}
	json_t *d = load_doc("rtneural_lstm_1d.json");
	json_array_remove(at(d, "layers"), 1);
	expect_refused("keras: last layer cut off", model_import_keras, d, MODEL_ERR_MISSING,
	               "layers: no dense layer after the lstm layer");
	d = load_doc("rtneural_lstm_1d.json");
	json_array_remove(at(d, "layers/0/weights"), 2);
	expect_refused("keras: weights list cut short", model_import_keras, d, MODEL_ERR_SHAPE,
	               "layers[0].weights: 2 arrays, expected 3");
	d = load_doc("BossLSTM-1x16.nam");
	json_array_remove(at(d, "weights"), 1200);
	expect_refused("nam: weights cut short", model_import_nam, d, MODEL_ERR_SHAPE,
	               "weights: 1200 values, expected 1201");
}

static void test_keras_table(void)
{
	json_t *d;
	ModelDesc m;
	ModelError err;

	d = load_doc("rtneural_bad_lstm.json");
	expect_refused("rtneural_bad_lstm.json", model_import_keras, d, MODEL_ERR_SHAPE,
	               "layers[0].weights[1]: 20 rows, expected 16 (the 16 units in layers[0].shape)");

	d = load_doc("rtneural_lstm_1d.json");
	json_array_remove(at(d, "layers/0/weights/1"), 7);
	expect_refused("keras: U one row short", model_import_keras, d, MODEL_ERR_SHAPE,
	               "layers[0].weights[1]: 7 rows, expected 8");
	d = load_doc("rtneural_lstm_1d.json");
	json_array_append_new(at(d, "layers/0/weights/0/0"), json_real(0.5));
	expect_refused("keras: W row too long", model_import_keras, d, MODEL_ERR_SHAPE,
	               "layers[0].weights[0][0]: 33 values, expected 32");
	d = load_doc("rtneural_lstm_1d.json");
	json_array_remove(at(d, "layers/0/weights/2"), 0);
	expect_refused("keras: bias too short", model_import_keras, d, MODEL_ERR_SHAPE,
	               "layers[0].weights[2]: 31 values, expected 32");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "layers/1/shape", "2", json_integer(2));
	expect_refused("keras: dense shape disagrees with weights", model_import_keras, d,
	               MODEL_ERR_SHAPE, "layers[1].weights[0][0]: 1 values, expected 2");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "layers/0", "type", json_string("conv1d"));
	expect_refused("keras: unknown layer type", model_import_keras, d, MODEL_ERR_VALUE,
	               "layers[0].type: \"conv1d\" is not supported");
	d = load_doc("rtneural_gru_1d.json");
	set(d, "layers/1", "activation", json_string("softmax"));
	expect_refused("keras: unknown activation", model_import_keras, d, MODEL_ERR_VALUE,
	               "layers[1].activation: \"softmax\" is not supported");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "layers/0/weights/1/3", "5", json_real(1e39));
	expect_refused("keras: weight beyond float range", model_import_keras, d, MODEL_ERR_VALUE,
	               "layers[0].weights[1][3][5]: 1e+39 is not a finite float");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "layers/1/weights/1", "0", json_string("nan"));
	expect_refused("keras: weight as a string", model_import_keras, d, MODEL_ERR_TYPE,
	               "layers[1].weights[1][0]: expected a number, found a string");
	d = load_doc("rtneural_lstm_1d.json");
	json_object_del(d, "in_shape");
	expect_refused("keras: no in_shape", model_import_keras, d, MODEL_ERR_MISSING,
	               "in_shape: missing");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "in_shape", "2", json_integer(5));
	expect_refused("keras: five inputs", model_import_keras, d, MODEL_ERR_RANGE,
	               "in_shape[2]: 5, expected 1 to 4");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "", "in_skip", json_integer(2));
	expect_refused("keras: in_skip 2", model_import_keras, d, MODEL_ERR_RANGE,
	               "in_skip: 2, expected 0 to 1");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "", "in_gain", json_string("6 dB"));
	expect_refused("keras: in_gain a string", model_import_keras, d, MODEL_ERR_TYPE,
	               "in_gain: expected a number, found a string");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "", "in_gain", json_null());
	expect_refused("keras: in_gain null", model_import_keras, d, MODEL_ERR_TYPE,
	               "in_gain: expected a number, found null");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "", "out_gain", json_null());
	expect_refused("keras: out_gain null", model_import_keras, d, MODEL_ERR_TYPE,
	               "out_gain: expected a number, found null");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "", "samplerate", json_string("fast"));
	expect_refused("keras: samplerate not a number", model_import_keras, d, MODEL_ERR_TYPE,
	               "samplerate: \"fast\" is not a number");
	d = load_doc("rtneural_gru_1d.json");
	set(d, "layers/0/weights", "2", json_pack("[f f f]", 0.1, 0.2, 0.3));
	expect_refused("keras: GRU with one bias row", model_import_keras, d, MODEL_ERR_SHAPE,
	               "layers[0].weights[2]: a single GRU bias");
	d = load_doc("rtneural_gru_1d.json");
	json_array_insert_new(at(d, "layers"), 0,
	                      json_pack("{s:s, s:[i], s:[]}", "type", "dense", "shape", 1, "weights"));
	expect_refused("keras: dense before recurrent", model_import_keras, d, MODEL_ERR_VALUE,
	               "layers[0]: a dense layer before the first recurrent layer");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "", "input_batch", json_pack("[f f]", 0.1, 0.2));
	expect_refused("keras: input_batch alone", model_import_keras, d, MODEL_ERR_MISSING,
	               "output_batch: missing");
	d = load_doc("rtneural_lstm_1d.json");
	set(d, "", "input_batch", json_pack("[f f]", 0.1, 0.2));
	set(d, "", "output_batch", json_pack("[f]", 0.1));
	expect_refused("keras: batches of different lengths", model_import_keras, d, MODEL_ERR_SHAPE,
	               "output_batch: 1 values, expected 2");
	expect_refused("keras: not an object", model_import_keras, json_array(), MODEL_ERR_TYPE,
	               "document: expected a JSON object");

	// The good files still load after all that (the table's mutations were on copies).
	d = load_doc("rtneural_lstm_1d.json");
	REQUIRE(model_import_keras(d, &m, &err) == MODEL_OK, "%s", err.message);
	model_desc_free(&m);
	json_decref(d);
}

static void test_nam_table(void)
{
	json_t *d;
	d = load_doc("BossLSTM-2x8.nam");
	json_array_append_new(at(d, "weights"), json_real(0.0));
	expect_refused("nam: one weight too many", model_import_nam, d, MODEL_ERR_SHAPE,
	               "weights: 906 values, expected 905 for 2 layer(s) of 8 units with 1 input(s)");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "config", "hidden_size", json_integer(9));
	expect_refused("nam: hidden_size disagrees", model_import_nam, d, MODEL_ERR_SHAPE,
	               "weights: 905 values, expected 1126");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "config", "num_layers", json_integer(0));
	expect_refused("nam: no layers", model_import_nam, d, MODEL_ERR_RANGE,
	               "config.num_layers: 0, expected 1 to 4");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "config", "hidden_size", json_integer(129));
	expect_refused("nam: too wide", model_import_nam, d, MODEL_ERR_RANGE,
	               "config.hidden_size: 129, expected 1 to 128");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "", "architecture", json_string("WaveNet"));
	expect_refused("nam: WaveNet", model_import_nam, d, MODEL_ERR_FORMAT,
	               "architecture: \"WaveNet\" is not supported (only LSTM)");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "weights", "10", json_real(-3e38 * 10.0));
	expect_refused("nam: weight beyond float range", model_import_nam, d, MODEL_ERR_VALUE,
	               "weights[10]: -3e+39 is not a finite float");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "weights", "904", json_null());
	expect_refused("nam: null weight", model_import_nam, d, MODEL_ERR_TYPE,
	               "weights[904]: expected a number, found null");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "", "version", json_string("0.9.0"));
	expect_refused("nam: unknown version", model_import_nam, d, MODEL_ERR_VERSION,
	               "version: 0.9.0 is not supported");
	d = load_doc("BossLSTM-2x8.nam");
	json_object_del(d, "config");
	expect_refused("nam: no config", model_import_nam, d, MODEL_ERR_MISSING, "config: missing");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "", "sample_rate", json_integer(0));
	expect_refused("nam: sample rate 0", model_import_nam, d, MODEL_ERR_RANGE,
	               "sample_rate: 0, expected 8000 to 384000");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "", "weights", json_string("[0, 1]"));
	expect_refused("nam: weights not an array", model_import_nam, d, MODEL_ERR_TYPE,
	               "weights: expected an array of numbers");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "", "metadata", json_string("loud"));
	expect_refused("nam: metadata a string", model_import_nam, d, MODEL_ERR_TYPE,
	               "metadata: expected an object");
	d = load_doc("BossLSTM-2x8.nam");
	set(d, "metadata", "loudness", json_string("loud"));
	expect_refused("nam: loudness not a number", model_import_nam, d, MODEL_ERR_TYPE,
	               "metadata.loudness: expected a number, found a string");
}

// A small state_dict document made here (the real one is GPL and stays in shared/).
static json_t *statedict_doc(const char *unit, int inputs, int hidden, int gates)
{
	json_t *sd = json_object();
	json_t *wih = json_array(), *whh = json_array(), *bih = json_array(), *bhh = json_array();
	json_t *lw = json_array();
	for (int r = 0; r < gates * hidden; r++) {
		json_t *a = json_array(), *b = json_array();
		for (int i = 0; i < inputs; i++)
			json_array_append_new(a, json_real(0.01 * (r + i)));
		for (int j = 0; j < hidden; j++)
			json_array_append_new(b, json_real(0.02 * (r - j)));
		json_array_append_new(wih, a);
		json_array_append_new(whh, b);
		json_array_append_new(bih, json_real(0.1));
		json_array_append_new(bhh, json_real(-0.05));
	}
	for (int j = 0; j < hidden; j++)
		json_array_append_new(lw, json_real(0.3 - 0.1 * j));
	json_object_set_new(sd, "rec.weight_ih_l0", wih);
	json_object_set_new(sd, "rec.weight_hh_l0", whh);
	json_object_set_new(sd, "rec.bias_ih_l0", bih);
	json_object_set_new(sd, "rec.bias_hh_l0", bhh);
	json_object_set_new(sd, "lin.weight", json_pack("[o]", lw));
	json_object_set_new(sd, "lin.bias", json_pack("[f]", 0.01));
	return json_pack("{s:{s:s, s:i, s:i, s:i, s:s, s:i, s:i, s:b}, s:o}", "model_data", "model",
	                 "SimpleRNN", "input_size", inputs, "skip", 1, "output_size", 1, "unit_type",
	                 unit, "num_layers", 1, "hidden_size", hidden, "bias_fl", 1, "state_dict", sd);
}

static void test_statedict_table(void)
{
	ModelDesc m;
	ModelError err;
	json_t *d = statedict_doc("LSTM", 1, 4, 4);
	REQUIRE(model_import_statedict(d, &m, &err) == MODEL_OK, "%s", err.message);
	REQUIRE(m.skip == 1 && m.layers[0].hidden == 4 && m.dense[0].w[1] == 0.2f, "good document");
	model_desc_free(&m);
	json_decref(d);
	d = statedict_doc("GRU", 2, 3, 3);
	REQUIRE(model_import_statedict(d, &m, &err) == MODEL_OK, "%s", err.message);
	REQUIRE(m.layers[0].cell == CELL_GRU && m.inputs == 2, "GRU document");
	model_desc_free(&m);
	json_decref(d);

	d = statedict_doc("LSTM", 1, 4, 4);
	json_array_remove(at(d, "state_dict/rec.weight_hh_l0"), 0);
	expect_refused("statedict: weight_hh one row short", model_import_statedict, d, MODEL_ERR_SHAPE,
	               "state_dict.rec.weight_hh_l0: 15 rows, expected 16");
	d = statedict_doc("LSTM", 1, 4, 4);
	json_array_remove(at(d, "state_dict/rec.bias_ih_l0"), 0);
	expect_refused("statedict: bias one short", model_import_statedict, d, MODEL_ERR_SHAPE,
	               "state_dict.rec.bias_ih_l0: 15 values, expected 16");
	d = statedict_doc("LSTM", 1, 4, 4);
	set(d, "model_data", "hidden_size", json_integer(5));
	expect_refused("statedict: hidden_size disagrees", model_import_statedict, d, MODEL_ERR_SHAPE,
	               "state_dict.rec.weight_ih_l0: 16 rows, expected 20");
	d = statedict_doc("RNN", 1, 4, 4);
	expect_refused("statedict: unknown unit type", model_import_statedict, d, MODEL_ERR_VALUE,
	               "model_data.unit_type: \"RNN\" is not supported");
	d = statedict_doc("LSTM", 1, 4, 4);
	json_object_del(at(d, "state_dict"), "lin.weight");
	expect_refused("statedict: no head", model_import_statedict, d, MODEL_ERR_MISSING,
	               "state_dict.lin.weight: missing");
	d = statedict_doc("LSTM", 1, 4, 4);
	set(d, "state_dict/rec.weight_hh_l0/2", "1", json_real(1e300));
	expect_refused("statedict: weight beyond float range", model_import_statedict, d,
	               MODEL_ERR_VALUE, "state_dict.rec.weight_hh_l0[2][1]: 1e+300 is not a finite");
	d = statedict_doc("LSTM", 1, 4, 4);
	set(d, "model_data", "skip", json_integer(2));
	expect_refused("statedict: skip over more inputs than exist", model_import_statedict, d,
	               MODEL_ERR_RANGE, "model_data.skip: 2, expected 0 to 1");
	d = statedict_doc("LSTM", 1, 4, 4);
	set(d, "model_data", "num_layers", json_integer(2));
	expect_refused("statedict: second layer missing", model_import_statedict, d, MODEL_ERR_MISSING,
	               "state_dict.rec.weight_ih_l1: missing");
	d = statedict_doc("LSTM", 1, 4, 4);
	json_object_set(at(d, "state_dict"), "rec.weight_ih_l1", at(d, "state_dict/rec.weight_hh_l0"));
	expect_refused("statedict: extra layer", model_import_statedict, d, MODEL_ERR_SHAPE,
	               "state_dict.rec.weight_ih_l1: present, but model_data.num_layers is 1");
	d = statedict_doc("LSTM", 1, 4, 4);
	set(d, "model_data", "output_size", json_integer(2));
	expect_refused("statedict: two outputs", model_import_statedict, d, MODEL_ERR_RANGE,
	               "model_data.output_size: 2, expected 1");
	d = statedict_doc("LSTM", 1, 4, 4);
	set(d, "model_data", "model", json_string("ConvSimpleRNN"));
	expect_refused("statedict: another model class", model_import_statedict, d, MODEL_ERR_FORMAT,
	               "model_data.model: \"ConvSimpleRNN\" is not supported");
	d = statedict_doc("LSTM", 1, 4, 4);
	set(d, "state_dict/rec.weight_ih_l0", "3", json_string("0.5"));
	expect_refused("statedict: a row that is a string", model_import_statedict, d, MODEL_ERR_TYPE,
	               "state_dict.rec.weight_ih_l0[3]: expected an array of 1 numbers, "
	               "found a string");
}

int main(int argc, char **argv)
{
	REQUIRE(argc == 2, "usage: %s DATA_DIR", argv[0]);
	data_dir = argv[1];
	test_truncated();
	test_keras_table();
	test_nam_table();
	test_statedict_table();
	printf("test_broken: all checks passed\n");
	return 0;
}
