// SPDX-License-Identifier: ISC
// esr_compute against float64 numpy (esr_ref.txt, written by gen_esr_ref.py): plain and
// pre-emphasised ESR agree to 1e-9 relative, since both sum in double over the same float32
// values. Also: undefined cases return NaN, and a perfect output scores exactly 0.
#undef NDEBUG
#include "esr.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void test_reference(const char *path)
{
	FILE *f = fopen(path, "r");
	assert(f);
	char line[256];
	// Skip the two comment lines.
	assert(fgets(line, sizeof line, f) && line[0] == '#');
	assert(fgets(line, sizeof line, f) && line[0] == '#');
	int cases = 0;
	assert(fscanf(f, "%d", &cases) == 1 && cases >= 5);
	static const double coef[3] = {0.0, 0.95, 0.5};
	for (int c = 0; c < cases; ++c) {
		long n = 0;
		assert(fscanf(f, "%ld", &n) == 1 && n > 0);
		float *y = malloc((size_t)n * sizeof *y), *t = malloc((size_t)n * sizeof *t);
		assert(y && t);
		for (long i = 0; i < n; ++i)
			assert(fscanf(f, "%f", &y[i]) == 1);
		for (long i = 0; i < n; ++i)
			assert(fscanf(f, "%f", &t[i]) == 1);
		for (int k = 0; k < 3; ++k) {
			char word[64];
			assert(fscanf(f, "%63s", word) == 1);
			double want = strtod(word, NULL);
			double got = esr_compute(y, t, n, coef[k]);
			if (isnan(want)) {
				assert(isnan(got));
				continue;
			}
			if (!(fabs(got - want) <= 1e-9 * fabs(want))) {
				fprintf(stderr, "case %d (n %ld) a %g: got %.17g want %.17g\n", c, n, coef[k], got,
				        want);
				assert(0);
			}
		}
		free(y);
		free(t);
	}
	fclose(f);
}

static void test_edges(void)
{
	float t[4] = {0.5f, -0.25f, 0.125f, 1.0f};
	float z[4] = {0};
	assert(esr_compute(t, t, 4, 0.0) == 0.0);
	assert(esr_compute(t, t, 4, 0.95) == 0.0);
	assert(esr_compute(z, t, 4, 0.0) == 1.0);
	assert(isnan(esr_compute(t, z, 4, 0.0)));
	assert(isnan(esr_compute(t, t, 0, 0.0)));
	assert(isnan(esr_compute(t, t, 1, 0.95)));
	assert(isnan(esr_compute(NULL, t, 4, 0.0)));
	// A constant target has no energy after pre-emphasis with a = 1.
	float c[4] = {0.5f, 0.5f, 0.5f, 0.5f};
	assert(isnan(esr_compute(t, c, 4, 1.0)));
}

int main(int argc, char **argv)
{
	assert(argc == 2);
	test_reference(argv[1]);
	test_edges();
	return 0;
}
