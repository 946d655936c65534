// SPDX-License-Identifier: ISC
// Every model file in ../shared/models (beside the source tree; the folder a user's clone does
// not have) loads, except RTNeural's must-fail file; and the GPL-3.0 GuitarML state_dict file,
// which may not be copied into tests/, reproduces the output PyTorch computes from it
// (data/ref_wright_ht1_lstm32_statedict.csv from gen_reference.py) within 2e-5. Skips (exit 77)
// when the folder is absent. LSTM_SHARED_MODELS in the environment overrides the folder.
#undef NDEBUG
#include "interop_common.h"

#include <assert.h>
#include <dirent.h>
#include <string.h>

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

static int load_all(const char *dir)
{
	DIR *d = opendir(dir);
	REQUIRE(d != NULL, "%s", dir);
	int loaded = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		if (name[0] == '.' || ends_with(name, ".md") || ends_with(name, ".csv"))
			continue;
		ModelDesc m;
		ModelError err;
		ModelStatus st = test_load(test_path(dir, name), &m, &err);
		if (!strcmp(name, "rtneural_bad_lstm.json")) {
			REQUIRE(st == MODEL_ERR_SHAPE, "%s must be refused, got %s", name,
			        model_status_name(st));
			printf("%s: refused as expected: %s\n", name, err.message);
			continue;
		}
		REQUIRE(st == MODEL_OK, "%s: %s", name, err.message);
		double e2 = test_selftest_error(&m);
		REQUIRE(e2 < 0.0 || e2 <= m.selftest_tolerance, "%s: reference pair error %g", name, e2);
		printf("%s: %s x %d, %d dense, skip %d, %g Hz\n", name, model_cell_name(m.layers[0].cell),
		       m.layers[0].hidden, m.num_dense, m.skip, m.sample_rate);
		model_desc_free(&m);
		loaded++;
	}
	closedir(d);
	return loaded;
}

static void test_statedict(const char *dir, const char *data)
{
	ModelDesc m;
	ModelError err;
	size_t nx, ny;
	REQUIRE(test_load(test_path(dir, "wright_ht1_lstm32_statedict.json"), &m, &err) == MODEL_OK,
	        "%s", err.message);
	REQUIRE(m.skip == 1 && m.layers[0].hidden == 32 && m.layers[0].cell == CELL_LSTM,
	        "LSTM-32 skip 1");
	float *x = test_read_csv(test_path(data, "ref_input.csv"), &nx);
	float *ref = test_read_csv(test_path(data, "ref_wright_ht1_lstm32_statedict.csv"), &ny);
	REQUIRE(nx == ny, "%zu inputs, %zu reference outputs", nx, ny);
	float *y = malloc(nx * sizeof(float));
	test_run(&m, NULL, x, NULL, y, (int)nx);
	double e = test_max_diff(y, ref, nx);
	printf("wright_ht1_lstm32_statedict.json: largest error against PyTorch %.3g\n", e);
	REQUIRE(e <= 2e-5, "error %g against PyTorch", e);
	free(x);
	free(ref);
	free(y);
	model_desc_free(&m);
}

int main(int argc, char **argv)
{
	REQUIRE(argc == 3, "usage: %s SHARED_MODELS_DIR DATA_DIR", argv[0]);
	const char *dir = getenv("LSTM_SHARED_MODELS") ? getenv("LSTM_SHARED_MODELS") : argv[1];
	DIR *d = opendir(dir);
	if (!d) {
		printf("%s absent: skipping\n", dir);
		return TEST_SKIP;
	}
	closedir(d);
	int n = load_all(dir);
	REQUIRE(n >= 6, "only %d model files loaded from %s", n, dir);
	test_statedict(dir, argv[2]);
	printf("test_shared_models: all checks passed\n");
	return 0;
}
