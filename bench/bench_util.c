// SPDX-License-Identifier: ISC
// The benchmarks' shared timing and model helpers (bench_util.h).
#include "bench_util.h"

#include <stdlib.h>

double bench_seconds(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof v[0], cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int bench_model_shape(ModelDesc *m, CellType cell, int hidden)
{
	model_desc_init(m);
	m->inputs = 1;
	m->skip = 1;
	m->sample_rate = 48000.0;
	m->num_layers = 1;
	RecurrentLayerDesc *l = &m->layers[0];
	l->cell = cell;
	l->inputs = 1;
	l->hidden = hidden;
	m->num_dense = 1;
	DenseLayerDesc *d = &m->dense[0];
	d->inputs = hidden;
	d->outputs = 1;
	d->activation = ACT_LINEAR;
	return model_desc_alloc_layer(l) != 0 || model_desc_alloc_dense(d) != 0 ? -1 : 0;
}
