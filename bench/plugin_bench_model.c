// SPDX-License-Identifier: ISC
// Helper for the plugin benchmark. "write FILE H" writes a seeded random single-layer LSTM of
// hidden size H in the project's format (no self-test: timing only). "engine FILE" times
// lstm_net_process alone on 10 s of noise at 48 kHz in 512-frame blocks, the same work
// lv2bench gives the plugin, and prints the median of 5 runs in seconds.
#include "bench_util.h"
#include "lstm_net.h"
#include "model_file.h"
#include "model_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (bench_model_shape(&m, CELL_LSTM, hidden) != 0) {
		fprintf(stderr, "plugin_bench_model: out of memory\n");
		return 1;
	}
	RecurrentLayerDesc *l = &m.layers[0];
	DenseLayerDesc *d = &m.dense[0];
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

static double now(void) { return bench_seconds(CLOCK_MONOTONIC); }

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
	printf("%.6f\n", bench_median(t, RUNS));
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
