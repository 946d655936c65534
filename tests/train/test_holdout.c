// SPDX-License-Identifier: ISC
// holdout_pick: the held-out blocks skip a silent tail and silent gaps, spread across the rest
// of the take, start on block boundaries, and add up to about the fraction asked for.
#undef NDEBUG
#include "holdout.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { RATE = 8000, SECONDS = 100, BLOCK = 8000 };

int main(void)
{
	const long n = (long)RATE * SECONDS;
	float *x = malloc((size_t)n * 2 * sizeof *x), *t = malloc((size_t)n * sizeof *t);
	assert(x && t);
	unsigned seed = 5;
	for (long i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		double noise = ((double)(seed >> 8) / 16777216.0 - 0.5);
		const double sec = (double)i / RATE;
		// Loud playing, a silent gap at 40-45 s, and a tail at -70 dB from 80 s on.
		double level = sec >= 80.0 ? 3e-4 : (sec >= 40.0 && sec < 45.0) ? 0.0 : 1.0;
		x[2 * i] = (float)(level * 0.3 * noise);
		x[2 * i + 1] = 0.5f; // a knob channel: must not count
		t[i] = tanhf(4.0f * x[2 * i]);
	}
	TrainSpan spans[64];
	HoldoutSummary sum;
	int k = holdout_pick(x, 2, t, n, BLOCK, 0.1, spans, 64, &sum);
	printf("held out %d blocks, %.1f s, input %.1f dBFS, %d quiet blocks passed over\n", k,
	       (double)sum.samples / RATE, sum.input_rms_db, sum.skipped_quiet);
	assert(k == 10 && sum.samples == 10L * BLOCK);
	assert(sum.skipped_quiet == 25); // 5 s of gap, 20 s of tail
	for (int i = 0; i < k; i++) {
		const double a = (double)spans[i].from / RATE, b = (double)spans[i].to / RATE;
		assert(spans[i].from % BLOCK == 0 && spans[i].to - spans[i].from == BLOCK);
		assert(b <= 80.0);               // never the quiet tail
		assert(!(a < 45.0 && b > 40.0)); // never the gap
		assert(i == 0 || spans[i].from > spans[i - 1].to - 1);
		printf("  %.0f-%.0f s\n", a, b);
	}
	// Spread: the first block in the first fifth of the loud audio, the last in the last.
	assert(spans[0].from < 16L * RATE && spans[k - 1].to > 64L * RATE);
	assert(sum.input_rms_db > -30.0);
	// Too short to split in two: nothing held out, and the caller is told so by the count.
	assert(holdout_pick(x, 2, t, BLOCK, BLOCK, 0.1, spans, 64, &sum) == 0);
	// All silent: nothing qualifies.
	for (long i = 0; i < n; i++)
		x[2 * i] = t[i] = 0.0f;
	assert(holdout_pick(x, 2, t, n, BLOCK, 0.1, spans, 64, &sum) == 0);
	free(x);
	free(t);
	return 0;
}
