// SPDX-License-Identifier: ISC
// Held-out blocks: energies per block, a loudness reference, an even spread over the blocks
// that hold sound.
#include "holdout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

// A block more than 30 dB below the take's loud level is (near) silence: a tail, a gap.
#define HOLDOUT_QUIET_RATIO 1e-3
// The loud level: the 90th-percentile block, so a few peaks do not set it.
#define HOLDOUT_LOUD_QUANTILE 0.9

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double quantile(const double *v, long n, double q, double *scratch)
{
	memcpy(scratch, v, (size_t)n * sizeof *scratch);
	qsort(scratch, (size_t)n, sizeof *scratch, cmp_double);
	long i = (long)(q * (double)(n - 1) + 0.5);
	return scratch[i];
}

int holdout_pick(const float *x, int x_stride, const float *t, long end, long block,
                 double fraction, TrainSpan *out, int max, HoldoutSummary *sum)
{
	memset(sum, 0, sizeof *sum);
	sum->input_rms_db = -200.0;
	const long nb = block > 0 ? end / block : 0;
	if (nb < 2 || !(fraction > 0) || max < 1)
		return 0;
	double *ex = malloc((size_t)nb * sizeof *ex), *et = malloc((size_t)nb * sizeof *et);
	double *scratch = malloc((size_t)nb * sizeof *scratch);
	long *ok = malloc((size_t)nb * sizeof *ok);
	int count = 0;
	if (!ex || !et || !scratch || !ok)
		goto done;
	for (long b = 0; b < nb; b++) {
		double sx = 0.0, st = 0.0;
		for (long i = b * block; i < (b + 1) * block; i++) {
			double a = x[i * x_stride], c = t[i];
			sx += a * a;
			st += c * c;
		}
		ex[b] = sx;
		et[b] = st;
	}
	const double loud_x = quantile(ex, nb, HOLDOUT_LOUD_QUANTILE, scratch);
	const double loud_t = quantile(et, nb, HOLDOUT_LOUD_QUANTILE, scratch);
	long nok = 0;
	for (long b = 0; b < nb; b++) {
		if (ex[b] > loud_x * HOLDOUT_QUIET_RATIO && et[b] > loud_t * HOLDOUT_QUIET_RATIO)
			ok[nok++] = b;
	}
	sum->skipped_quiet = (int)(nb - nok);
	long want = lround(fraction * (double)end / (double)block);
	if (want < 1)
		want = 1;
	if (want > nok / 2)
		want = nok / 2 > 0 ? nok / 2 : (nok > 0 ? 1 : 0);
	if (want > max)
		want = max;
	double energy = 0.0;
	for (long i = 0; i < want; i++) {
		// The middle of each of want equal shares of the qualifying blocks.
		const long b = ok[(long)(((double)i + 0.5) * (double)nok / (double)want)];
		out[count].from = b * block;
		out[count].to = (b + 1) * block;
		energy += ex[b];
		count++;
	}
	if (count > 0) {
		const double n = (double)count * (double)block;
		sum->samples = (long)n;
		sum->input_rms_db = energy > 0 ? 10.0 * log10(energy / n) : -200.0;
	}
done:
	free(ex);
	free(et);
	free(scratch);
	free(ok);
	return count;
}
