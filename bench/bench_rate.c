// SPDX-License-Identifier: ISC
// What playing at a foreign rate costs. For a 48 kHz LSTM of hidden 16, 32 and 64 (seeded
// random weights, one layer, residual), times the RatePlayer per host sample: the plain run at
// 48 kHz (bypass: the engine alone), then the resample and correct paths at 44.1, 88.2 and
// 96 kHz (correct at 44.1 kHz falls back to resampling, so it is not listed). Each figure is the
// median of RUNS renders of one second of audio in 128-frame blocks; the ratio column compares
// CPU per second of audio with the plain 48 kHz run of the same model. Times are the thread's
// CPU time (CLOCK_THREAD_CPUTIME_ID), so other processes on a busy machine inflate them less
// than wall-clock time would.
//
//   build/bench/bench_rate [runs]
#include "bench_util.h"
#include "rate_player.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 128, DEFAULT_RUNS = 7, MAX_RUNS = 99 };

static uint32_t rng = 12345u;

static float uniform(float scale)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return scale * ((float)(rng >> 8) / 8388608.0f - 1.0f);
}

static void fill(float *a, size_t n, float scale)
{
	for (size_t k = 0; k < n; k++)
		a[k] = uniform(scale);
}

static int make_model(ModelDesc *m, int hidden)
{
	if (bench_model_shape(m, CELL_LSTM, hidden) != 0)
		return -1;
	RecurrentLayerDesc *L = &m->layers[0];
	const size_t g = 4 * (size_t)hidden;
	fill(L->w_ih, g, 2.0f);
	fill(L->w_hh, g * (size_t)hidden, 1.0f / (float)hidden);
	fill(L->b_ih, g, 0.3f);
	fill(L->b_hh, g, 0.1f);
	fill(m->dense[0].w, (size_t)hidden, 0.5f);
	return 0;
}

static double now(void) { return bench_seconds(CLOCK_THREAD_CPUTIME_ID); }

// Median ns per host sample, or a negative value when the player cannot be built.
static double time_player(const ModelDesc *m, double rate, RateMode mode, RatePath want, int runs)
{
	ModelError err;
	RatePlayer *p = rate_player_create(m, rate, mode, BLOCK, &err);
	if (!p) {
		fprintf(stderr, "bench_rate: %s\n", err.message);
		return -1.0;
	}
	if (rate_player_path(p) != want) {
		rate_player_destroy(p);
		return -1.0;
	}
	const size_t frames = (size_t)rate;
	float *x = malloc(frames * sizeof *x), *y = malloc(frames * sizeof *y);
	if (!x || !y)
		abort();
	for (size_t k = 0; k < frames; k++)
		x[k] = 0.5f * uniform(1.0f) * (float)((k / 4000) % 2);
	double t[MAX_RUNS];
	for (int r = 0; r < runs; r++) {
		const double t0 = now();
		for (size_t done = 0; done < frames; done += BLOCK) {
			const uint32_t n = (uint32_t)(frames - done < BLOCK ? frames - done : BLOCK);
			const float *in[1] = {x + done};
			rate_player_process(p, in, y + done, n);
		}
		t[r] = (now() - t0) / (double)frames * 1e9;
	}
	free(x);
	free(y);
	rate_player_destroy(p);
	return bench_median(t, runs);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : DEFAULT_RUNS;
	if (runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "bench_rate: runs must be 1 to %d\n", MAX_RUNS);
		return 1;
	}
	static const struct {
		const char *name;
		double rate;
		RateMode mode;
		RatePath path;
	} cases[] = {
		{"plain 48k", 48000, RATE_MODE_AUTO, RATE_PATH_BYPASS},
		{"resample 44.1k", 44100, RATE_MODE_RESAMPLE, RATE_PATH_RESAMPLE},
		{"resample 96k", 96000, RATE_MODE_RESAMPLE, RATE_PATH_RESAMPLE},
		{"resample 88.2k", 88200, RATE_MODE_RESAMPLE, RATE_PATH_RESAMPLE},
		{"correct 96k", 96000, RATE_MODE_CORRECT, RATE_PATH_CORRECT},
		{"correct 88.2k", 88200, RATE_MODE_CORRECT, RATE_PATH_CORRECT},
	};
	static const int hiddens[] = {16, 32, 64};
	printf("median of %d runs, 1 s of audio in %d-frame blocks, default engine options\n", runs,
	       BLOCK);
	printf("%-8s %-16s %14s %22s\n", "hidden", "path", "ns/host sample", "CPU/s vs plain 48k");
	for (size_t h = 0; h < sizeof hiddens / sizeof hiddens[0]; h++) {
		ModelDesc m;
		if (make_model(&m, hiddens[h]) != 0) {
			fprintf(stderr, "bench_rate: out of memory\n");
			return 1;
		}
		double base = 0.0;
		for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
			const double ns = time_player(&m, cases[c].rate, cases[c].mode, cases[c].path, runs);
			if (ns < 0.0) {
				model_desc_free(&m);
				return 1;
			}
			const double per_second = ns * cases[c].rate;
			if (c == 0)
				base = per_second;
			printf("%-8d %-16s %14.1f %21.2fx\n", hiddens[h], cases[c].name, ns, per_second / base);
		}
		model_desc_free(&m);
	}
	return 0;
}
