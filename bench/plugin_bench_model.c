// SPDX-License-Identifier: ISC
// Helper for the plugin benchmark. "write FILE H" writes a seeded random single-layer LSTM of
// hidden size H in the project's format (no self-test: timing only). "engine FILE" times
// lstm_net_process alone on 10 s of noise at 48 kHz in 512-frame blocks, the same work
// lv2bench gives the plugin, and prints the median of 5 runs in seconds.
#include "lstm_net.h"
#include "model_file.h"
#include "model_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { FRAMES = 480000, BLOCK = 512, RUNS = 5 };

static uint32_t rng = 2024u;

static float rnd(float scale)
{
	rng = rng * 1664525u + 1013904223u;
	return (float)((rng >> 8) / 16777216.0 * 2.0 - 1.0) * scale;
}

static void fill(float *v, size_t n, float scale)
{
	for (size_t k = 0; k < n; k++)
		v[k] = rnd(scale);
}

static int write_model(const char *path, int hidden)
{
	ModelDesc m;
	model_desc_init(&m);
	m.inputs = 1;
	m.skip = 1;
	m.sample_rate = 48000.0;
	m.num_layers = 1;
	RecurrentLayerDesc *l = &m.layers[0];
	*l = (RecurrentLayerDesc){.cell = CELL_LSTM, .inputs = 1, .hidden = hidden};
	m.num_dense = 1;
	DenseLayerDesc *d = &m.dense[0];
	*d = (DenseLayerDesc){.inputs = hidden, .outputs = 1, .activation = ACT_LINEAR};
	if (model_desc_alloc_layer(l) || model_desc_alloc_dense(d)) {
		fprintf(stderr, "plugin_bench_model: out of memory\n");
		return 1;
	}
	const size_t g = 4 * (size_t)hidden;
	fill(l->w_ih, g, 1.0f);
	fill(l->w_hh, g * (size_t)hidden, 1.0f / (float)hidden);
	fill(l->b_ih, g, 0.1f);
	fill(l->b_hh, g, 0.1f);
	fill(d->w, (size_t)hidden, 0.3f);
	ModelError err;
	const ModelStatus st = model_write_file(path, &m, 1, &err);
	model_desc_free(&m);
	if (st != MODEL_OK) {
		fprintf(stderr, "plugin_bench_model: %s\n", err.message);
		return 1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int time_engine(const char *path)
{
	ModelDesc m;
	ModelError err;
	if (model_load_file(path, &m, &err) != MODEL_OK) {
		fprintf(stderr, "plugin_bench_model: %s\n", err.message);
		return 1;
	}
	LstmNet *net = lstm_net_create(&m, NULL, &err);
	model_desc_free(&m);
	if (!net) {
		fprintf(stderr, "plugin_bench_model: %s\n", err.message);
		return 1;
	}
	float *in = malloc(FRAMES * sizeof(float)), *out = malloc(FRAMES * sizeof(float));
	fill(in, FRAMES, 0.5f);
	double t[RUNS];
	for (int r = 0; r < RUNS; r++) {
		lstm_net_reset(net);
		const double t0 = now();
		for (int done = 0; done < FRAMES; done += BLOCK) {
			const int len = FRAMES - done < BLOCK ? FRAMES - done : BLOCK;
			const float *inputs[1] = {in + done};
			lstm_net_process(net, inputs, out + done, (uint32_t)len);
		}
		t[r] = now() - t0;
	}
	qsort(t, RUNS, sizeof(double), cmp_double);
	printf("%.6f\n", t[RUNS / 2]);
	free(in);
	free(out);
	lstm_net_destroy(net);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "write"))
		return write_model(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "engine"))
		return time_engine(argv[2]);
	fprintf(stderr, "usage: plugin_bench_model write FILE HIDDEN | engine FILE\n");
	return 2;
}
