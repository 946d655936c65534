// SPDX-License-Identifier: ISC
// Test helper: compares the samples of two mono audio files read as floats by libsndfile.
// Exit 0 when they have the same length and every sample is bit-identical (or, with --tol X,
// within X); 1 otherwise, printing the first difference and the largest one; 2 on bad use.
// "wav_cmp --finite A" checks instead that every sample of A is finite.
#include <sndfile.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float *read_all(const char *path, sf_count_t *frames)
{
	SF_INFO info;
	memset(&info, 0, sizeof(info));
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	if (!f) {
		fprintf(stderr, "wav_cmp: %s: %s\n", path, sf_strerror(NULL));
		exit(2);
	}
	if (info.channels != 1) {
		fprintf(stderr, "wav_cmp: %s: %d channels, expected 1\n", path, info.channels);
		exit(2);
	}
	float *v = malloc((size_t)(info.frames + 1) * sizeof(float));
	*frames = sf_readf_float(f, v, info.frames);
	sf_close(f);
	return v;
}

int main(int argc, char **argv)
{
	double tol = 0.0;
	if (argc == 3 && !strcmp(argv[1], "--finite")) {
		sf_count_t n;
		float *v = read_all(argv[2], &n);
		for (sf_count_t t = 0; t < n; t++)
			if (!isfinite(v[t])) {
				fprintf(stderr, "wav_cmp: %s: frame %lld is not finite\n", argv[2], (long long)t);
				return 1;
			}
		free(v);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[3], "--tol"))
		tol = atof(argv[4]);
	else if (argc != 3) {
		fprintf(stderr, "usage: wav_cmp A B [--tol X]\n");
		return 2;
	}
	sf_count_t na, nb;
	float *a = read_all(argv[1], &na), *b = read_all(argv[2], &nb);
	if (na != nb) {
		fprintf(stderr, "wav_cmp: %s has %lld frames, %s has %lld\n", argv[1], (long long)na,
		        argv[2], (long long)nb);
		return 1;
	}
	double worst = 0.0;
	sf_count_t first = -1;
	for (sf_count_t t = 0; t < na; t++) {
		const int same = tol == 0.0 ? !memcmp(&a[t], &b[t], sizeof(float))
		                            : fabs((double)a[t] - (double)b[t]) <= tol;
		if (!same && first < 0)
			first = t;
		worst = fmax(worst, fabs((double)a[t] - (double)b[t]));
	}
	free(a);
	free(b);
	if (first >= 0) {
		fprintf(stderr, "wav_cmp: first difference at frame %lld; largest %.9g\n", (long long)first,
		        worst);
		return 1;
	}
	printf("wav_cmp: %lld frames identical (largest difference %.3g)\n", (long long)na, worst);
	return 0;
}
