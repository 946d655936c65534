// SPDX-License-Identifier: ISC
// Helpers shared by the interop tests (see interop_common.h).
#include "interop_common.h"

#include "model_load.h"

#include <math.h>
#include <string.h>

ModelStatus test_load(const char *path, ModelDesc *m, ModelError *err)
{
	return model_load_file(path, m, err);
}

const char *test_path(const char *dir, const char *name)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

float *test_read_csv(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	REQUIRE(f != NULL, "cannot open %s", path);
	size_t cap = 1024, len = 0;
	float *v = malloc(cap * sizeof(float));
	REQUIRE(v != NULL, "out of memory");
	double x;
	while (fscanf(f, "%lf", &x) == 1) {
		if (len == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(float));
			REQUIRE(v != NULL, "out of memory");
		}
		v[len++] = (float)x;
	}
	REQUIRE(feof(f), "%s: unreadable line after %zu values", path, len);
	fclose(f);
	*n = len;
	return v;
}

void test_run(const ModelDesc *m, const LstmNetOptions *opt, const float *x, const float *knob,
              float *y, int n)
{
	LstmNetOptions exact = {LSTM_ACT_EXACT, LSTM_ISA_SCALAR};
	ModelError err;
	LstmNet *net = lstm_net_create(m, opt ? opt : &exact, &err);
	REQUIRE(net != NULL, "lstm_net_create: %s", err.message);
	float *k[MODEL_MAX_INPUTS] = {NULL};
	const float *in[MODEL_MAX_INPUTS] = {x};
	for (int c = 1; c < m->inputs; c++) {
		k[c] = malloc((size_t)n * sizeof(float));
		REQUIRE(k[c] != NULL, "out of memory");
		for (int t = 0; t < n; t++)
			k[c][t] = knob ? knob[c - 1] : 0.0f;
		in[c] = k[c];
	}
	lstm_net_process(net, in, y, (uint32_t)n);
	for (int c = 1; c < m->inputs; c++)
		free(k[c]);
	lstm_net_destroy(net);
}

double test_selftest_error(const ModelDesc *m)
{
	if (m->selftest_frames == 0)
		return -1.0;
	LstmNetOptions exact = {LSTM_ACT_EXACT, LSTM_ISA_SCALAR};
	ModelError err;
	LstmNet *net = lstm_net_create(m, &exact, &err);
	REQUIRE(net != NULL, "lstm_net_create: %s", err.message);
	double worst = 0.0;
	for (int t = 0; t < m->selftest_frames; t++) {
		float y = lstm_net_process_frame(net, m->selftest_input + (size_t)t * (size_t)m->inputs);
		double d = fabs((double)y - (double)m->selftest_output[t]);
		if (d > worst)
			worst = d;
	}
	lstm_net_destroy(net);
	return worst;
}

void test_signal(float *x, int n, unsigned seed, float amp)
{
	unsigned s = seed ? seed : 1u;
	for (int t = 0; t < n; t++) {
		s = s * 1664525u + 1013904223u;
		float noise = (float)(s >> 8) / 16777216.0f - 0.5f;
		x[t] =
			amp * (0.6f * sinf(0.013f * (float)t) + 0.3f * sinf(0.21f * (float)t) + 0.2f * noise);
	}
}

double test_max_diff(const float *a, const float *b, size_t n)
{
	double worst = 0.0;
	for (size_t k = 0; k < n; k++) {
		double d = fabs((double)a[k] - (double)b[k]);
		if (isnan(d))
			return INFINITY;
		if (d > worst)
			worst = d;
	}
	return worst;
}
