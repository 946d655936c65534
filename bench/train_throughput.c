// SPDX-License-Identifier: ISC
// Training throughput: audio-seconds trained per wall-second with the default recipe (0.5 s
// segments, batches of 16, 1000 warm-up samples, BPTT every 1024, Adam, ESR+DC loss) on a
// synthetic 48 kHz pair, for LSTM hidden sizes 16, 32 and 64. Prints the median of several
// epochs, per wall-second and per CPU-second of the process (the second is the fair figure
// when other jobs share the machine). Usage: train_throughput [threads] [epochs] [hidden...]
// Env TRAIN_BATCH and TRAIN_TBPTT replace the recipe's batch and BPTT length, so that the code's
// speed can be compared with an older build on that build's recipe (before 2026-12-03 the
// defaults were 50 and 2048).
#include "bench_util.h"
#include "trainer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 2;
	int epochs = argc > 2 ? atoi(argv[2]) : 3;
	int hs[8] = {16, 32, 64}, nh = 3;
	if (argc > 3) {
		nh = 0;
		for (int i = 3; i < argc && nh < 8; i++)
			hs[nh++] = atoi(argv[i]);
	}
	// 50 s: 100 segments per epoch.
	const long n = 48000L * 50;
	float *x = malloc((size_t)n * sizeof(float)), *t = malloc((size_t)n * sizeof(float));
	if (!x || !t)
		return 1;
	unsigned s = 1;
	float lp = 0;
	for (long i = 0; i < n; i++) {
		s = s * 1664525u + 1013904223u;
		float noise = (float)(s >> 8) / 16777216.0f - 0.5f;
		x[i] = 0.3f * sinf(0.01f * (float)i) * sinf(0.0003f * (float)i) + 0.1f * noise;
		lp += 0.2f * (tanhf(4.0f * x[i]) - lp);
		t[i] = lp;
	}
	TrainSeries ser = {x, t, n, n, n, NULL, 0};
	printf("threads %d, %d epochs of %.0f s audio each, batch %s, BPTT %s, median\n", threads,
	       epochs, n / 48000.0, getenv("TRAIN_BATCH") ? getenv("TRAIN_BATCH") : "default",
	       getenv("TRAIN_TBPTT") ? getenv("TRAIN_TBPTT") : "default");
	for (int k = 0; k < nh; k++) {
		TrainConfig cfg = train_config_default();
		cfg.shape.hidden = hs[k];
		cfg.threads = threads;
		if (getenv("TRAIN_BATCH"))
			cfg.batch = atoi(getenv("TRAIN_BATCH"));
		if (getenv("TRAIN_TBPTT"))
			cfg.tbptt = atoi(getenv("TRAIN_TBPTT"));
		char err[256];
		Trainer *tr = trainer_create(&cfg, &ser, 1, err, sizeof err);
		if (!tr) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		double rates[64], cpu_rates[64];
		int ne = epochs < 64 ? epochs : 64;
		double loss = 0;
		for (int e = 0; e < ne; e++) {
			TrainEpochReport rep;
			const double t0 = bench_seconds(CLOCK_MONOTONIC);
			const double c0 = bench_seconds(CLOCK_PROCESS_CPUTIME_ID);
			trainer_run_epoch(tr, NULL, NULL, NULL, &rep);
			double dt = bench_seconds(CLOCK_MONOTONIC) - t0;
			double dc = bench_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
			rates[e] = (double)trainer_train_samples(tr) / 48000.0 / dt;
			cpu_rates[e] = (double)trainer_train_samples(tr) / 48000.0 / dc;
			loss = rep.train_loss;
		}
		printf("lstm hidden %3d: %7.2f audio-s per wall-s, %7.2f per CPU-s (%s kernels, last "
		       "loss %.4f)\n",
		       hs[k], bench_median(rates, ne), bench_median(cpu_rates, ne),
		       trainer_kernels_name(tr), loss);
		trainer_free(tr);
	}
	free(x);
	free(t);
	return 0;
}
