// SPDX-License-Identifier: ISC
// Import of the third-party files copied into data/ (MIT and BSD licences, data/LICENSES.md):
// the RTNeural pairs must reproduce their _y.csv from their _x.csv within 1e-5 (RTNeural holds
// itself to 1e-6 in float; its CSVs carry the outputs TensorFlow computed), and the NAM files
// must reproduce what PyTorch computes from the same file (gen_reference.py) within 2e-5.
// Also the details of each format: sizes, skip, levels, sample rate, metadata, knob inputs.
#undef NDEBUG
#include "interop_common.h"
#include "model_import.h"

#include <assert.h>
#include <math.h>
#include <string.h>

static const char *data_dir;

// RTNeural's pairs: inputs are a sine of amplitude up to 10, far outside the audio range.
static void test_rtneural_pairs(void)
{
	static const char *const names[] = {"rtneural_lstm_1d", "rtneural_gru_1d"};
	for (size_t k = 0; k < 2; k++) {
		char file[128];
		ModelDesc m;
		ModelError err;
		size_t nx, ny;
		snprintf(file, sizeof file, "%s.json", names[k]);
		REQUIRE(test_load(test_path(data_dir, file), &m, &err) == MODEL_OK, "%s", err.message);
		snprintf(file, sizeof file, "%s_x.csv", names[k]);
		float *x = test_read_csv(test_path(data_dir, file), &nx);
		snprintf(file, sizeof file, "%s_y.csv", names[k]);
		float *y = test_read_csv(test_path(data_dir, file), &ny);
		REQUIRE(nx == ny && nx > 50, "%s: %zu inputs, %zu outputs", names[k], nx, ny);
		float *out = malloc(nx * sizeof(float));
		test_run(&m, NULL, x, NULL, out, (int)nx);
		double e = test_max_diff(out, y, nx);
		printf("%s: %zu samples, largest error %.3g (exact path)\n", names[k], nx, e);
		REQUIRE(e <= 1e-5, "%s: largest error %g over 1e-5", names[k], e);
		// The fast activations stay close too (their bound is in dsp/fast_math.h).
		LstmNetOptions fast = lstm_net_default_options();
		test_run(&m, &fast, x, NULL, out, (int)nx);
		e = test_max_diff(out, y, nx);
		printf("%s: largest error %.3g (default path)\n", names[k], e);
		REQUIRE(e <= 1e-3, "%s: fast path error %g", names[k], e);
		free(out);
		free(x);
		free(y);
		model_desc_free(&m);
	}
}

static void test_rtneural_shapes(void)
{
	ModelDesc m;
	ModelError err;
	REQUIRE(test_load(test_path(data_dir, "rtneural_gru_1d.json"), &m, &err) == MODEL_OK, "%s",
	        err.message);
	REQUIRE(m.num_layers == 1 && m.layers[0].cell == CELL_GRU && m.layers[0].hidden == 8, "gru 8");
	REQUIRE(m.num_dense == 2 && m.dense[0].outputs == 8 && m.dense[0].activation == ACT_SIGMOID,
	        "GRU-8 -> Dense(8, sigmoid) -> Dense(1)");
	REQUIRE(m.dense[1].outputs == 1 && m.dense[1].activation == ACT_LINEAR, "linear head");
	REQUIRE(m.skip == 0 && m.inputs == 1 && m.sample_rate == 48000.0, "defaults");
	REQUIRE(m.input_gain_db == 0.0f && m.output_gain_db == 0.0f, "no levels in the file");
	model_desc_free(&m);
}

static void test_nam_files(void)
{
	static const struct {
		const char *file, *ref;
		int layers, hidden;
		double loudness;
	} cases[] = {
		{"nam_core_lstm_1x3.nam", "ref_nam_core_lstm_1x3.csv", 1, 3, -37.8406867980957},
		{"BossLSTM-1x16.nam", "ref_BossLSTM-1x16.csv", 1, 16, -11.380825996398926},
		{"BossLSTM-2x8.nam", "ref_BossLSTM-2x8.csv", 2, 8, -11.83329963684082},
	};
	size_t nx;
	float *x = test_read_csv(test_path(data_dir, "ref_input.csv"), &nx);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		ModelDesc m;
		ModelError err;
		size_t ny;
		REQUIRE(test_load(test_path(data_dir, cases[k].file), &m, &err) == MODEL_OK, "%s: %s",
		        cases[k].file, err.message);
		REQUIRE(m.num_layers == cases[k].layers && m.layers[0].hidden == cases[k].hidden,
		        "%s: %d x %d", cases[k].file, m.num_layers, m.layers[0].hidden);
		REQUIRE(m.skip == 0 && m.num_dense == 1 && m.sample_rate == 48000.0, "%s", cases[k].file);
		REQUIRE(m.layers[0].h0 && m.layers[0].c0, "%s: h0/c0 kept", cases[k].file);
		// NAM's player normalises to -18 dB by default: that is the output gain.
		REQUIRE(fabs(m.output_gain_db - (-18.0 - cases[k].loudness)) < 1e-5, "%s: gain %g",
		        cases[k].file, (double)m.output_gain_db);
		REQUIRE(m.input_gain_db == 0.0f, "%s: no input gain", cases[k].file);
		REQUIRE(m.metadata_json && strstr(m.metadata_json, "\"loudness_db\""), "%s: metadata",
		        cases[k].file);
		float *ref = test_read_csv(test_path(data_dir, cases[k].ref), &ny);
		REQUIRE(ny == nx, "%s: %zu reference samples, %zu inputs", cases[k].ref, ny, nx);
		float *out = malloc(nx * sizeof(float));
		test_run(&m, NULL, x, NULL, out, (int)nx);
		double e = test_max_diff(out, ref, nx);
		printf("%s: %zu samples, largest error against PyTorch %.3g\n", cases[k].file, nx, e);
		REQUIRE(e <= 2e-5, "%s: error %g against PyTorch", cases[k].file, e);
		free(out);
		free(ref);
		model_desc_free(&m);
	}
	free(x);
}

// gen_reference.py's seeded synthetic files: a 2-layer GRU state_dict and a 2-layer LSTM in the
// Keras layout with Dense(4, tanh), both with a knob input held at 0.5 and skip 1.
static void test_synthetic_references(void)
{
	static const char *const files[] = {"synth_gru_2x6_statedict.json",
	                                    "synth_lstm_2x5_keras.json"};
	static const char *const refs[] = {"ref_synth_gru_2x6_statedict.csv",
	                                   "ref_synth_lstm_2x5_keras.csv"};
	const float knob = 0.5f;
	size_t nx, ny;
	float *x = test_read_csv(test_path(data_dir, "ref_input.csv"), &nx);
	for (size_t k = 0; k < 2; k++) {
		ModelDesc m;
		ModelError err;
		REQUIRE(test_load(test_path(data_dir, files[k]), &m, &err) == MODEL_OK, "%s: %s", files[k],
		        err.message);
		REQUIRE(m.num_layers == 2 && m.inputs == 2 && m.skip == 1, "%s: shape", files[k]);
		float *ref = test_read_csv(test_path(data_dir, refs[k]), &ny);
		REQUIRE(ny == nx, "%s: %zu samples", refs[k], ny);
		float *out = malloc(nx * sizeof(float));
		test_run(&m, NULL, x, &knob, out, (int)nx);
		double e = test_max_diff(out, ref, nx);
		printf("%s: largest error against PyTorch %.3g\n", files[k], e);
		REQUIRE(e <= 2e-5, "%s: error %g against PyTorch", files[k], e);
		free(out);
		free(ref);
		model_desc_free(&m);
	}
	free(x);
}

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *root = json_loads(text, 0, &je);
	REQUIRE(root != NULL, "bad test JSON: %s (line %d)", je.text, je.line);
	return root;
}

// Keras details: the sample rate as a string, levels, in_skip, knob inputs, a separate
// activation layer, an activation on the last dense layer, a reference pair with knobs.
static void test_keras_details(void)
{
	const char *text =
		"{\"in_shape\": [null, null, 3], \"in_skip\": 1, \"in_gain\": -6.5, \"out_gain\": 3,"
		" \"metadata\": {\"samplerate\": \"44100\", \"name\": \"x\"},"
		" \"layers\": ["
		"  {\"type\": \"gru\", \"shape\": [null, null, 2],"
		"   \"weights\": [[[0.1,0.2,0.3,0.4,0.5,0.6],[0.1,0,0,0,0,0],[0,0,0,0,0,0.2]],"
		"                 [[0.1,0.2,0.3,0.4,0.5,0.6],[0.6,0.5,0.4,0.3,0.2,0.1]],"
		"                 [[1,2,3,4,5,6],[6,5,4,3,2,1]]]},"
		"  {\"type\": \"dense\", \"shape\": [null, null, 2],"
		"   \"weights\": [[[1,2],[3,4]], [0.5,-0.5]]},"
		"  {\"type\": \"activation\", \"activation\": \"relu\", \"shape\": [null, null, 2],"
		"   \"weights\": []},"
		"  {\"type\": \"dense\", \"activation\": \"tanh\", \"shape\": [null, null, 1],"
		"   \"weights\": [[[1],[2]], [0.25]]}],"
		" \"input_batch\": [0.5, [0.25], [0.1, 0.2, 0.3]], \"output_batch\": [1, [2], 3]}";
	json_t *root = parse(text);
	ModelDesc m;
	ModelError err;
	REQUIRE(model_import_keras(root, &m, &err) == MODEL_OK, "%s", err.message);
	REQUIRE(m.inputs == 3 && m.skip == 1 && m.sample_rate == 44100.0, "inputs, skip, rate");
	REQUIRE(m.input_gain_db == -6.5f && m.output_gain_db == 3.0f, "levels");
	// GRU: Keras z, r, h -> PyTorch r, z, n; W is transposed.
	const RecurrentLayerDesc *l = &m.layers[0];
	REQUIRE(l->cell == CELL_GRU && l->hidden == 2 && l->inputs == 3, "gru shape");
	REQUIRE(l->w_ih[0 * 3 + 0] == 0.3f && l->w_ih[1 * 3 + 0] == 0.4f, "r block from Keras r");
	REQUIRE(l->w_ih[2 * 3 + 0] == 0.1f && l->w_ih[3 * 3 + 0] == 0.2f, "z block from Keras z");
	REQUIRE(l->w_ih[5 * 3 + 2] == 0.2f && l->w_ih[4 * 3 + 1] == 0.0f, "n block, transposed");
	REQUIRE(l->w_hh[0 * 2 + 1] == 0.4f && l->w_hh[2 * 2 + 1] == 0.6f, "U transposed");
	REQUIRE(l->b_ih[0] == 3.0f && l->b_ih[2] == 1.0f && l->b_hh[0] == 4.0f && l->b_hh[5] == 1.0f,
	        "biases: input side, recurrent side");
	// Dense(2) + relu, Dense(1, tanh) + an exact identity head.
	REQUIRE(m.num_dense == 3, "%d dense layers", m.num_dense);
	REQUIRE(m.dense[0].activation == ACT_RELU && m.dense[0].w[1] == 3.0f, "dense W transposed");
	REQUIRE(m.dense[1].activation == ACT_TANH && m.dense[2].w[0] == 1.0f && m.dense[2].b[0] == 0.0f,
	        "identity head after a tanh output");
	REQUIRE(m.selftest_frames == 3, "pair");
	REQUIRE(m.selftest_input[0] == 0.5f && m.selftest_input[1] == 0.0f
	            && m.selftest_input[3] == 0.25f,
	        "flat frames put knobs at 0");
	REQUIRE(m.selftest_input[6] == 0.1f && m.selftest_input[8] == 0.3f, "full frames");
	REQUIRE(m.selftest_output[1] == 2.0f, "nested output");
	REQUIRE(m.metadata_json && strstr(m.metadata_json, "\"name\""), "metadata kept");
	model_desc_free(&m);
	json_decref(root);

	// Older files keep the rate and author at the top level (rtneural_bad_lstm.json's style).
	root = parse("{\"in_shape\": [1], \"samplerate\": 96000, \"author\": \"a\","
	             " \"layers\": [{\"type\": \"lstm\", \"shape\": [1], \"weights\": [[[1,2,3,4]],"
	             " [[1,2,3,4]], [0,0,0,0]]}, {\"type\": \"dense\", \"shape\": [1],"
	             " \"weights\": [[[1]]]}]}");
	REQUIRE(model_import_keras(root, &m, &err) == MODEL_OK, "%s", err.message);
	REQUIRE(m.sample_rate == 96000.0 && m.dense[0].b[0] == 0.0f, "rate, dense without bias");
	REQUIRE(m.metadata_json && strstr(m.metadata_json, "\"author\""), "loose metadata");
	model_desc_free(&m);
	json_decref(root);

	// A pair longer than the self-test limit is checked over its start; an empty one is none.
	root = parse(
		"{\"in_shape\": [1], \"layers\": [{\"type\": \"lstm\", \"shape\": [1],"
		" \"weights\": [[[1,2,3,4]], [[1,2,3,4]], [0,0,0,0]]}, {\"type\": \"dense\","
		" \"shape\": [1], \"weights\": [[[1]]]}], \"input_batch\": [], \"output_batch\": []}");
	REQUIRE(model_import_keras(root, &m, &err) == MODEL_OK && m.selftest_frames == 0, "empty pair");
	model_desc_free(&m);
	json_t *in = json_array(), *out = json_array();
	for (int t = 0; t < MODEL_MAX_SELFTEST_FRAMES + 10; t++) {
		json_array_append_new(in, json_real(0.0));
		json_array_append_new(out, json_real(0.0));
	}
	json_object_set_new(root, "input_batch", in);
	json_object_set_new(root, "output_batch", out);
	REQUIRE(model_import_keras(root, &m, &err) == MODEL_OK, "%s", err.message);
	REQUIRE(m.selftest_frames == MODEL_MAX_SELFTEST_FRAMES, "long pair: %d frames",
	        m.selftest_frames);
	model_desc_free(&m);
	json_decref(root);
}

int main(int argc, char **argv)
{
	REQUIRE(argc == 2, "usage: %s DATA_DIR", argv[0]);
	data_dir = argv[1];
	test_rtneural_pairs();
	test_rtneural_shapes();
	test_nam_files();
	test_synthetic_references();
	test_keras_details();
	printf("test_import: all checks passed\n");
	return 0;
}
